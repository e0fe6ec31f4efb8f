import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { safeUsername } from '../crypto/keys.js';
import { CairnError, isCairnError, throwIfAborted } from '../errors.js';
import type { Repository } from '../repository/repository.js';

/** The JSON stored (encrypted) in `locks/<id>`. */
export interface LockInfo {
  exclusive: boolean;
  host: string;
  pid: number;
  username: string;
  created: string;
  refreshed: string;
}

export interface LockOptions {
  exclusive: boolean;
  /** Keep retrying this long when another process holds a conflicting lock. */
  retryMs?: number;
  /** Stops the waiting (a cancelled run must not sit out `retryMs` behind someone else's lock). */
  signal?: AbortSignal;
  /** Told about each stale lock that was removed. */
  onStaleLock?: (info: LockInfo, name: string) => void;
}

const REFRESH_MS = 5 * 60 * 1000;
const STALE_MS = 30 * 60 * 1000;
const RETRY_INTERVAL_MS = 2000;

export function isStale(info: LockInfo, now = Date.now()): boolean {
  if (now - Date.parse(info.refreshed) > STALE_MS) return true;
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function describeLock(info: LockInfo): string {
  const kind = info.exclusive ? 'exclusively' : 'shared';
  return `locked ${kind} by PID ${info.pid} on ${info.host} (user ${info.username}) since ${info.created}`;
}

/**
 * A lock file: backups, restores and checks share; forget, prune and repair hold it exclusively.
 * Refreshed every 5 minutes while held, so other hosts can tell a live lock from a stale one.
 */
export class RepositoryLock {
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly repo: Repository,
    private name: string,
    private info: LockInfo,
  ) {
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), REFRESH_MS);
    this.timer.unref();
  }

  static async acquire(repo: Repository, options: LockOptions): Promise<RepositoryLock> {
    const deadline = Date.now() + (options.retryMs ?? 0);
    const now = new Date().toISOString();
    const info: LockInfo = {
      exclusive: options.exclusive,
      host: hostname(),
      pid: process.pid,
      username: safeUsername(),
      created: now,
      refreshed: now,
    };
    while (true) {
      const name = await repo.saveJson('lock', info);
      const conflict = await findConflict(repo, name, info.exclusive, options.onStaleLock);
      if (!conflict) return new RepositoryLock(repo, name, info);
      await repo.backend.remove('lock', name);
      if (Date.now() >= deadline) {
        throw new CairnError(
          'lock-failed',
          `repository is ${describeLock(conflict.info)} (lock ${conflict.name.slice(0, 8)})`,
        );
      }
      await sleep(RETRY_INTERVAL_MS * (0.5 + Math.random()), undefined, { signal: options.signal }).catch(
        () => undefined,
      );
      throwIfAborted(options.signal);
    }
  }

  async refresh(): Promise<void> {
    const info = { ...this.info, refreshed: new Date().toISOString() };
    const name = await this.repo.saveJson('lock', info);
    const old = this.name;
    this.name = name;
    this.info = info;
    await this.repo.backend.remove('lock', old);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.repo.backend.remove('lock', this.name);
  }
}

async function findConflict(
  repo: Repository,
  ownName: string,
  exclusive: boolean,
  onStaleLock: LockOptions['onStaleLock'],
): Promise<{ name: string; info: LockInfo } | undefined> {
  for (const { name } of await repo.backend.list('lock')) {
    if (name === ownName) continue;
    let info: LockInfo;
    try {
      info = await repo.loadJson<LockInfo>('lock', name);
    } catch (error) {
      if (isCairnError(error, 'not-found')) continue; // released meanwhile
      throw error;
    }
    if (isStale(info)) {
      await repo.backend.remove('lock', name);
      onStaleLock?.(info, name);
      continue;
    }
    if (exclusive || info.exclusive) return { name, info };
  }
  return undefined;
}
