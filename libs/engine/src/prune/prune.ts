import { CairnError, throwIfAborted } from '../errors.js';
import type { IndexContent } from '../index/index-file.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import { decodeBlob } from '../pack/blob-codec.js';
import type { PackedBlob } from '../pack/pack.js';
import type { Repository } from '../repository/repository.js';
import { listSnapshots } from '../snapshot/snapshot.js';
import { referencedBlobs } from '../tree/walk.js';
import { mapLimit } from '../util/limiter.js';
import { planPrune, type PackUsage } from './plan.js';
import { rewriteIndex } from './rewrite-index.js';

export interface PruneOptions {
  /** Largest share of a pack that may be unused before it is repacked (0–1, default 5 %). */
  maxUnused?: number;
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface PruneResult {
  packsDeleted: number;
  packsRepacked: number;
  bytesFreed: number;
  bytesRepacked: number;
  dryRun: boolean;
}

/**
 * Frees the space of data no snapshot uses. Nothing is deleted before the packs that replace it and
 * an index listing them are safely written; old index files go before the packs they list, so at
 * every moment of a crash each index file present lists only packs that exist.
 */
export async function prune(repo: Repository, options: PruneOptions = {}): Promise<PruneResult> {
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: true });
  try {
    return await runPrune(repo, options);
  } finally {
    await lock.release();
  }
}

async function runPrune(repo: Repository, options: PruneOptions): Promise<PruneResult> {
  const { signal } = options;
  const oldIndexFiles = (await repo.backend.list('index')).map((file) => file.name);
  const packs = new Map<string, PackedBlob[]>();
  for (const name of oldIndexFiles) {
    for (const pack of (await repo.loadIndexFile(name)).packs) {
      if (!packs.has(pack.id)) packs.set(pack.id, pack.blobs);
      repo.index.addPack(pack.id, pack.blobs);
    }
  }
  const sizes = new Map((await repo.backend.list('pack')).map((pack) => [pack.name, pack.size]));
  const missing = [...packs.keys()].filter((id) => !sizes.has(id));
  if (missing.length > 0) {
    throw new CairnError(
      'corrupt',
      `pack ${missing[0]} is missing (and ${missing.length - 1} more); run "cairn repair index" and "cairn repair snapshots" first`,
    );
  }
  throwIfAborted(signal);
  const used = await referencedBlobs(
    repo,
    (await listSnapshots(repo)).map((snapshot) => snapshot.tree),
    signal,
  );
  const plan = planPrune(packs, sizes, used, options.maxUnused ?? 0.05);
  const doomed = [...plan.remove, ...plan.repack, ...plan.orphans];
  const bytesRepacked = plan.repack.reduce(
    (sum, pack) => sum + pack.keep.reduce((n, blob) => n + blob.length, 0),
    0,
  );
  const result: PruneResult = {
    packsDeleted: doomed.length,
    packsRepacked: plan.repack.length,
    bytesFreed: doomed.reduce((sum, pack) => sum + pack.size, 0) - bytesRepacked,
    bytesRepacked,
    dryRun: options.dryRun ?? false,
  };
  if (result.dryRun || doomed.length === 0) return result;

  const repacked = await repack(repo, plan.repack, options);
  await rewriteIndex(
    repo,
    [...plan.retain.map(({ id, blobs }) => ({ id, blobs })), ...repacked],
    oldIndexFiles,
  );
  let done = 0;
  await mapLimit(doomed, repo.options.connections, async (pack) => {
    await repo.backend.remove('pack', pack.id);
    options.onProgress?.({ phase: 'delete packs', done: ++done, total: doomed.length });
  });
  return result;
}

/** Copies the kept blobs of `packs` into new packs (verifying each); returns the new packs. */
async function repack(
  repo: Repository,
  packs: PackUsage[],
  options: PruneOptions,
): Promise<IndexContent['packs']> {
  let done = 0;
  for (const pack of packs) {
    throwIfAborted(options.signal);
    const bytes = await repo.backend.load('pack', pack.id);
    for (const blob of pack.keep) {
      const sealed = bytes.subarray(blob.offset, blob.offset + blob.length);
      decodeBlob(repo.keyObjects, blob.id, { ...blob, packId: pack.id }, sealed);
      await repo.moveBlob(blob.type, blob.id, Buffer.from(sealed), blob.rawLength, blob.compressed);
    }
    options.onProgress?.({ phase: 'repack', done: ++done, total: packs.length });
  }
  return repo.flushPacks();
}
