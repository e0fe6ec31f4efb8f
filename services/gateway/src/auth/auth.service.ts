import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Logger } from '@cairn/contracts';
import { ServiceClient } from '../catalog/catalog.repository.js';
import type { GatewayConfig } from '../config.js';
import { CONFIG, LOGGER } from '../system/tokens.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, verifyPassword } from './password-hasher.js';
import { TokenSigner, type TokenClaims } from './tokens.js';

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 429 | 400,
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
}

/** How long the stored hash is trusted before asking the catalog again (token checks are per request). */
const HASH_CACHE_MS = 5000;

@Injectable()
export class AuthService {
  private readonly signer: TokenSigner;
  private readonly limiter = new LoginLimiter();
  private readonly revoked = new Set<string>();
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
    const wait = this.limiter.retryAfterMs(address);
    if (wait > 0)
      throw new AuthError(429, 'too many failed sign-ins; try again later', Math.ceil(wait / 1000));
    const hash = await this.passwordHash(true);
    if (!(await verifyPassword(password, hash))) {
      this.limiter.fail(address);
      this.logger.warn({ address }, 'failed sign-in');
      throw new AuthError(401, 'wrong password');
    }
    this.limiter.succeed(address);
    return this.issue(hash);
  }

  async refresh(refreshToken: string | undefined): Promise<IssuedTokens> {
    const claims = refreshToken ? this.signer.verify(refreshToken, 'refresh') : undefined;
    if (
      !claims ||
      this.revoked.has(claims.jti) ||
      claims.gen !== generationOf(await this.passwordHash(false))
    ) {
      throw new AuthError(401, 'session expired; sign in again');
    }
    this.revoked.add(claims.jti);
    return this.issue(await this.passwordHash(false));
  }

  logout(refreshToken: string | undefined): void {
    const claims = refreshToken ? this.signer.verify(refreshToken, 'refresh') : undefined;
    if (claims) this.revoked.add(claims.jti);
  }

  async changePassword(current: string, next: string): Promise<IssuedTokens> {
    if (!(await verifyPassword(current, await this.passwordHash(true))))
      throw new AuthError(400, 'the current password is wrong');
    if (next.length < 8) throw new AuthError(400, 'the new password must have at least 8 characters');
    return this.issue(await this.storePassword(next));
  }

  /** Claims of a valid access token issued under the current password, else undefined. */
  async authenticate(accessToken: string): Promise<TokenClaims | undefined> {
    const claims = this.signer.verify(accessToken, 'access');
    if (!claims) return undefined;
    return claims.gen === generationOf(await this.passwordHash(false)) ? claims : undefined;
  }

  private issue(hash: string): IssuedTokens {
    const generation = generationOf(hash);
    const access = this.signer.sign('access', generation);
    return {
      accessToken: access.token,
      expiresIn: access.claims.exp - access.claims.iat,
      refreshToken: this.signer.sign('refresh', generation).token,
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
