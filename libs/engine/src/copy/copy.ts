import { throwIfAborted } from '../errors.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import { listSnapshots, saveSnapshot, type Snapshot, type SnapshotRecord } from '../snapshot/snapshot.js';
import { referencedBlobs } from '../tree/walk.js';
import { copyBlobs } from './copy-blobs.js';
import { Rechunker } from './rechunk.js';

export interface CopyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { snapshot: string; done: number; total: number }) => void;
  lock?: Omit<LockOptions, 'exclusive'>;
}

export interface CopyResult {
  copied: { from: string; to: string }[];
  /** Snapshots the target already had (copied before). */
  skipped: string[];
  blobsCopied: number;
  /** Whether content had to be re-chunked because the repositories do not share parameters. */
  rechunked: boolean;
}

/** A copied snapshot remembers where it came from, so copying again is a no-op. */
type CopiedSnapshot = Snapshot & { original?: string };

/**
 * Copies snapshots (default: all) into another repository, transferring only what the target lacks.
 * Repositories made with `init --copy-params-from` share blob ids, so blobs move as they are
 * (re-encrypted); otherwise file content is re-chunked and re-identified: the slow path.
 */
export async function copySnapshots(
  source: Repository,
  target: Repository,
  snapshots: readonly SnapshotRecord[] | undefined,
  options: CopyOptions = {},
): Promise<CopyResult> {
  const sourceLock = await RepositoryLock.acquire(source, { ...options.lock, exclusive: false });
  try {
    const targetLock = await RepositoryLock.acquire(target, { ...options.lock, exclusive: false });
    try {
      await Promise.all([source.loadIndex(), target.loadIndex()]);
      return await run(source, target, snapshots ?? (await listSnapshots(source)), options);
    } finally {
      await targetLock.release();
    }
  } finally {
    await sourceLock.release();
  }
}

export function sharesIds(a: Repository, b: Repository): boolean {
  const same = (x: typeof a.config.chunker, y: typeof b.config.chunker) =>
    x.min === y.min && x.avg === y.avg && x.max === y.max;
  return a.keys.id.equals(b.keys.id) && same(a.config.chunker, b.config.chunker);
}

async function run(
  source: Repository,
  target: Repository,
  snapshots: readonly SnapshotRecord[],
  options: CopyOptions,
): Promise<CopyResult> {
  const identity = (snapshot: SnapshotRecord & { original?: string }) => snapshot.original ?? snapshot.id;
  const present = new Set((await listSnapshots(target)).map(identity));
  const fast = sharesIds(source, target);
  const result: CopyResult = { copied: [], skipped: [], blobsCopied: 0, rechunked: !fast };
  const rechunker = fast ? undefined : new Rechunker(source, target, options.signal);
  for (const snapshot of snapshots) {
    throwIfAborted(options.signal);
    const original = identity(snapshot);
    if (present.has(original)) {
      result.skipped.push(snapshot.id);
      continue;
    }
    let tree = snapshot.tree;
    if (rechunker) {
      tree = await rechunker.copyTree(snapshot.tree);
    } else {
      const wanted = [...(await referencedBlobs(source, [snapshot.tree], options.signal))].filter(
        (id) => !target.hasBlob(id),
      );
      result.blobsCopied += await copyBlobs(source, target, wanted, options.signal);
    }
    await target.flush();
    const { id: _id, ...fields } = snapshot as SnapshotRecord & { original?: string };
    const copy: CopiedSnapshot = { ...fields, tree, original };
    result.copied.push({ from: snapshot.id, to: await saveSnapshot(target, copy) });
    present.add(original);
    options.onProgress?.({
      snapshot: snapshot.id,
      done: result.copied.length + result.skipped.length,
      total: snapshots.length,
    });
  }
  if (rechunker) result.blobsCopied = rechunker.blobsAdded;
  return result;
}
