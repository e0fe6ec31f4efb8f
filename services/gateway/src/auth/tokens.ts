import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'access' | 'refresh';

export interface TokenClaims {
  sub: 'admin';
  kind: TokenKind;
  jti: string;
  /** Password generation: changing the password invalidates every token issued before. */
  gen: string;
  /** Refresh tokens: the sign-in session (token family) this token continues. */
  fam?: string;
  iat: number;
  exp: number;
}

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 3600;

/** Compact HS256 JWTs; the key is derived from CAIRN_SECRET_KEY for this purpose only. */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(secretKeyHex: string) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(secretKeyHex, 'hex'), Buffer.alloc(0), 'cairn-gateway-tokens', 32),
    );
  }

  sign(
    kind: TokenKind,
    generation: string,
    family?: string,
    now = Date.now(),
  ): { token: string; claims: TokenClaims } {
    const iat = Math.floor(now / 1000);
    const claims: TokenClaims = {
      sub: 'admin',
      kind,
      jti: randomUUID(),
      gen: generation,
      ...(family ? { fam: family } : {}),
      iat,
      exp: iat + (kind === 'access' ? ACCESS_TTL_SECONDS : REFRESH_TTL_SECONDS),
    };
    const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
    return { token: `${body}.${this.mac(body)}`, claims };
  }

  /** The claims of a valid, unexpired token of the given kind; undefined for anything else. */
  verify(token: string, kind: TokenKind, now = Date.now()): TokenClaims | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const expected = Buffer.from(this.mac(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as TokenClaims;
      return claims.kind === kind && claims.exp * 1000 > now ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
