import { Limiter } from '../util/limiter.js';
import { isConnectionFailure } from './sftp-errors.js';
import type { SftpSession } from './sftp-session.js';

/**
 * At most `size` SFTP sessions, opened on demand and reused; a session that failed is closed and
 * replaced on next use, so one cut connection costs one retry, not the whole backup.
 */
export class SftpPool {
  private readonly idle: SftpSession[] = [];
  private readonly open = new Set<SftpSession>();
  private readonly limiter: Limiter;

  constructor(
    private readonly connect: () => Promise<SftpSession>,
    size: number,
  ) {
    this.limiter = new Limiter(size);
  }

  use<T>(work: (session: SftpSession) => Promise<T>): Promise<T> {
    return this.limiter.run(async () => {
      const session = this.takeIdle() ?? (await this.connectTracked());
      try {
        return await work(session);
      } catch (error) {
        if (isConnectionFailure(error)) session.destroy();
        throw error;
      } finally {
        if (session.broken) this.drop(session);
        else this.idle.push(session);
      }
    });
  }

  async close(): Promise<void> {
    for (const session of this.open) session.end();
    this.open.clear();
    this.idle.length = 0;
  }

  private takeIdle(): SftpSession | undefined {
    let session: SftpSession | undefined;
    while ((session = this.idle.pop())) {
      if (!session.broken) return session;
      this.drop(session);
    }
    return undefined;
  }

  private async connectTracked(): Promise<SftpSession> {
    const session = await this.connect();
    this.open.add(session);
    return session;
  }

  private drop(session: SftpSession): void {
    session.destroy();
    this.open.delete(session);
  }
}
