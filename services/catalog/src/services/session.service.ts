import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from '@cairn/contracts';
import { SessionRepository } from '../repositories/session.repository.js';
import { LOGGER } from '../tokens.js';

export type Rotation = 'rotated' | 'reused' | 'unknown';

/** Sign-in sessions for the gateway: the catalog keeps which refresh token is current. */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(id: string, tokenId: string, expiresAt: string): Promise<{ ok: true }> {
    // Expired sessions go when new ones come: the table stays as small as the sessions alive.
    await this.sessions.removeExpired(new Date());
    await this.sessions.insert(id, tokenId, new Date(expiresAt));
    return { ok: true };
  }

  /**
   * The current token renews the session. Any other token of a session that still exists is one
   * already used: someone replays it, so the session ends for everyone holding it.
   */
  async rotate(id: string, tokenId: string, nextTokenId: string, expiresAt: string): Promise<Rotation> {
    await this.sessions.removeExpired(new Date());
    if (await this.sessions.swapToken(id, tokenId, nextTokenId, new Date(expiresAt))) return 'rotated';
    if (!(await this.sessions.remove(id))) return 'unknown';
    this.logger.warn({ session: id }, 'a used refresh token was presented again: session ended');
    return 'reused';
  }

  async end(id: string): Promise<{ removed: boolean }> {
    return { removed: await this.sessions.remove(id) };
  }
}
