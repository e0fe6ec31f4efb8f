import { throwIfAborted } from '../errors.js';
import type { IndexContent } from '../index/index-file.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import { readPackHeader } from '../pack/pack.js';
import { rewriteIndex } from '../prune/rewrite-index.js';
import type { Repository } from '../repository/repository.js';
import { mapLimit } from '../util/limiter.js';

export interface RepairIndexResult {
  packs: number;
  /** Packs whose header cannot be read: left in place, their blobs are not indexed. */
  damaged: { pack: string; message: string }[];
}

/** Rebuilds every index file from the pack headers: the repair when index files are lost or damaged. */
export async function repairIndex(
  repo: Repository,
  options: { signal?: AbortSignal; lock?: Omit<LockOptions, 'exclusive'> } = {},
): Promise<RepairIndexResult> {
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: true });
  try {
    const oldIndexFiles = (await repo.backend.list('index')).map((file) => file.name);
    const stored = await repo.backend.list('pack');
    const damaged: RepairIndexResult['damaged'] = [];
    const headers = await mapLimit(stored, repo.options.connections, async (pack) => {
      throwIfAborted(options.signal);
      try {
        return await readPackHeader(repo.backend, repo.keyObjects.encryption, pack.name, pack.size);
      } catch (error) {
        damaged.push({ pack: pack.name, message: (error as Error).message });
        return undefined;
      }
    });
    const packs: IndexContent['packs'] = stored.flatMap((pack, i) =>
      headers[i] ? [{ id: pack.name, blobs: headers[i] }] : [],
    );
    await rewriteIndex(repo, packs, oldIndexFiles);
    return { packs: packs.length, damaged };
  } finally {
    await lock.release();
  }
}
