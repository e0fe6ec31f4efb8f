import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Logger } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import type { GatewayConfig } from '../config.js';
import { CONFIG, LOGGER } from '../system/tokens.js';
import { CheckQueue, QueueFull } from './check-queue.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { TokenSigner, type TokenClaims } from './tokens.js';

export class AuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 415 | 429 | 503,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenId: string;
  refreshExpiresAt: string;
}

/** How long the stored hash is trusted before asking the catalog again (token checks are per request). */
const HASH_CACHE_MS = 5000;
/**
 * Password checks at once, and waiting: the global ceiling. A flood from many addresses is answered
 * 503 (try again in a second) beyond it, so it slows sign-in down but never locks the admin out.
 */
const CONCURRENT_CHECKS = 2;
const WAITING_CHECKS = 8;

@Injectable()
export class AuthService {
  private readonly signer: TokenSigner;
  private readonly limiter = new LoginLimiter();
  private readonly checks = new CheckQueue(CONCURRENT_CHECKS, WAITING_CHECKS);
  private cached?: { hash: string; at: number };

  constructor(
    private readonly services: ServiceClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.signer = new TokenSigner(config.CAIRN_SECRET_KEY);
  }

  /**
   * At the first start (no password stored yet): CAIRN_ADMIN_PASSWORD when set, else a generated one,
   * printed once — the only time a password reaches the log. A stored password is replaced only when
   * CAIRN_RESET_ADMIN_PASSWORD asks for it: one changed in Settings survives every restart, whatever
   * .env still says.
   */
  async ensureAdminPassword(): Promise<void> {
    const stored = (await this.services.call(CATALOG.admin.get, {})).passwordHash;
    const initial = this.config.CAIRN_ADMIN_PASSWORD;
    if (this.config.CAIRN_RESET_ADMIN_PASSWORD) {
      if (initial === undefined)
        throw new Error('CAIRN_RESET_ADMIN_PASSWORD=true needs CAIRN_ADMIN_PASSWORD');
      await this.storePassword(initial);
      this.logger.warn(
        'the admin password was reset to CAIRN_ADMIN_PASSWORD; unset CAIRN_RESET_ADMIN_PASSWORD',
      );
      return;
    }
    if (stored) return;
    if (initial !== undefined) {
      await this.storePassword(initial);
      return;
    }
    const generated = randomBytes(12).toString('base64url');
    await this.storePassword(generated);
    this.logger.warn(`first start: the admin password is ${generated} — sign in and change it in Settings`);
  }

  async login(password: string, address: string): Promise<IssuedTokens> {
    const wait = this.limiter.reserve(address);
    if (wait > 0)
      throw new AuthError(429, 'too many sign-in attempts; try again later', Math.ceil(wait / 1000));
    let checked: { hash: string; matches: boolean };
    try {
      checked = await this.checks.run(async () => {
        const hash = await this.passwordHash(true);
        return { hash, matches: await verifyPassword(password, hash) };
      });
    } catch (error) {
      // Not checked, so not counted against the address.
      this.limiter.release(address);
      if (error instanceof QueueFull)
        throw new AuthError(503, 'the server is busy checking other sign-ins; try again in a moment', 1);
      throw error;
    }
    if (!checked.matches) {
      this.logger.warn({ address }, 'failed sign-in');
      throw new AuthError(401, 'wrong password');
    }
    this.limiter.succeed(address);
    return this.startSession(checked.hash);
  }

  /**
   * A refresh token works once: the catalog swaps it for the next one atomically. Presenting one
   * that was already used means two parties hold the session, so the whole session ends.
   */
  async refresh(refreshToken: string | undefined): Promise<IssuedTokens> {
    const claims = refreshToken ? this.signer.verify(refreshToken, 'refresh') : undefined;
    const expired = new AuthError(401, 'session expired; sign in again');
    if (!claims?.fam) throw expired;
    const hash = await this.passwordHash(false);
    if (claims.gen !== generationOf(hash)) throw expired;
    const tokens = this.issue(hash, claims.fam);
    const { outcome } = await this.services.call(CATALOG.sessions.rotate, {
      id: claims.fam,
      tokenId: claims.jti,
      nextTokenId: tokens.refreshTokenId,
      expiresAt: tokens.refreshExpiresAt,
    });
    if (outcome === 'reused')
      this.logger.warn('a refresh token was used twice: the session it belongs to is ended');
    if (outcome !== 'rotated') throw expired;
    return tokens;
  }

  async logout(refreshToken: string | undefined): Promise<void> {
    const claims = refreshToken ? this.signer.verify(refreshToken, 'refresh') : undefined;
    if (claims?.fam) await this.services.call(CATALOG.sessions.end, { id: claims.fam });
  }

  async changePassword(current: string, next: string): Promise<IssuedTokens> {
    if (!(await verifyPassword(current, await this.passwordHash(true))))
      throw new AuthError(400, 'the current password is wrong');
    if (next.length < 8) throw new AuthError(400, 'the new password must have at least 8 characters');
    return this.startSession(await this.storePassword(next));
  }

  /** Claims of a valid access token issued under the current password, else undefined. */
  async authenticate(accessToken: string): Promise<TokenClaims | undefined> {
    const claims = this.signer.verify(accessToken, 'access');
    if (!claims) return undefined;
    return claims.gen === generationOf(await this.passwordHash(false)) ? claims : undefined;
  }

  /** A new sign-in session (refresh-token family), recorded by the catalog. */
  private async startSession(hash: string): Promise<IssuedTokens> {
    const family = randomUUID();
    const tokens = this.issue(hash, family);
    await this.services.call(CATALOG.sessions.start, {
      id: family,
      tokenId: tokens.refreshTokenId,
      expiresAt: tokens.refreshExpiresAt,
    });
    return tokens;
  }

  private issue(hash: string, family: string): IssuedTokens {
    const generation = generationOf(hash);
    const access = this.signer.sign('access', generation);
    const refresh = this.signer.sign('refresh', generation, family);
    return {
      accessToken: access.token,
      expiresIn: access.claims.exp - access.claims.iat,
      refreshToken: refresh.token,
      refreshTokenId: refresh.claims.jti,
      refreshExpiresAt: new Date(refresh.claims.exp * 1000).toISOString(),
    };
  }

  private async storePassword(password: string): Promise<string> {
    const hash = await hashPassword(password);
    await this.services.call(CATALOG.admin.setPassword, { passwordHash: hash });
    this.cached = { hash, at: Date.now() };
    return hash;
  }

  private async passwordHash(fresh: boolean): Promise<string> {
    if (!fresh && this.cached && Date.now() - this.cached.at < HASH_CACHE_MS) return this.cached.hash;
    const hash = (await this.services.call(CATALOG.admin.get, {})).passwordHash;
    if (!hash) throw new AuthError(401, 'no admin password is set yet');
    this.cached = { hash, at: Date.now() };
    return hash;
  }
}

function generationOf(hash: string): string {
  return createHash('sha256').update(hash).digest('hex').slice(0, 16);
}
