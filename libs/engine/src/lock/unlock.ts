import { isCairnError } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import { isStale, type LockInfo } from './lock.js';

/** Removes stale locks, or every lock with `removeAll` (when the user knows no process is running). */
export async function unlock(
  repo: Repository,
  options: { removeAll?: boolean } = {},
): Promise<{ name: string; info?: LockInfo }[]> {
  const removed: { name: string; info?: LockInfo }[] = [];
  for (const { name } of await repo.backend.list('lock')) {
    let info: LockInfo | undefined;
    try {
      info = await repo.loadJson<LockInfo>('lock', name);
    } catch (error) {
      if (isCairnError(error, 'not-found')) continue;
      // An unreadable lock file blocks everyone and protects no one.
    }
    if (options.removeAll || !info || isStale(info)) {
      await repo.backend.remove('lock', name);
      removed.push(info ? { name, info } : { name });
    }
  }
  return removed;
}
