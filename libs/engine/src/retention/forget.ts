import { throwIfAborted } from '../errors.js';
import { RepositoryLock, type LockOptions } from '../lock/lock.js';
import type { Repository } from '../repository/repository.js';
import { listSnapshots, type SnapshotRecord } from '../snapshot/snapshot.js';
import { mapLimit } from '../util/limiter.js';
import { applyRetention, type RetentionGroup, type RetentionOptions } from './apply.js';
import { validatePolicy, type RetentionPolicy } from './policy.js';
import { ShrunkSourceError, sourceShrinkage } from './shrinkage.js';

export interface ForgetOptions extends RetentionOptions {
  policy: RetentionPolicy;
  /** Decide and report, but remove nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  lock?: Omit<LockOptions, 'exclusive'>;
  /**
   * Refuse (ShrunkSourceError) when a group that would lose snapshots has a newest snapshot with
   * fewer than this percentage of its parent's files; undefined to apply the policy regardless.
   */
  shrinkageThreshold?: number;
}

export interface ForgetResult {
  groups: RetentionGroup[];
  /** Ids of the snapshots removed (in a dry run: that would be removed). */
  removed: string[];
  dryRun: boolean;
}

/**
 * Removes the snapshots the policy does not keep. Only the small snapshot files go; the data they
 * alone used stays until prune. Holds the repository exclusively (DESIGN §3), so it never overlaps
 * a prune, which decides what is still used from the list of snapshots. A dry run only reads, so
 * it takes a shared lock and does not wait for running backups.
 */
export async function forget(repo: Repository, options: ForgetOptions): Promise<ForgetResult> {
  const dryRun = options.dryRun ?? false;
  validatePolicy(options.policy);
  const lock = await RepositoryLock.acquire(repo, { ...options.lock, exclusive: !dryRun });
  try {
    const snapshots = await listSnapshots(repo);
    throwIfAborted(options.signal);
    const groups = applyRetention(snapshots, options.policy, options);
    if (options.shrinkageThreshold !== undefined) refuseShrunk(snapshots, groups, options.shrinkageThreshold);
    const removed = groups.flatMap((group) => group.decisions.filter((d) => !d.keep).map((d) => d.id));
    if (!dryRun) {
      await mapLimit(removed, repo.options.connections, async (id) => {
        throwIfAborted(options.signal);
        await repo.backend.remove('snapshot', id);
      });
    }
    return { groups, removed, dryRun };
  } finally {
    await lock.release();
  }
}

/** The newest snapshot of a group is compared with its recorded parent, else the one before it. */
function refuseShrunk(snapshots: SnapshotRecord[], groups: RetentionGroup[], thresholdPercent: number) {
  const byId = new Map(snapshots.map((snapshot) => [snapshot.id, snapshot]));
  for (const { decisions } of groups) {
    if (decisions.every((decision) => decision.keep)) continue;
    const newest = byId.get(decisions.at(-1)!.id)!;
    const parent = (newest.parent && byId.get(newest.parent)) || byId.get(decisions.at(-2)?.id ?? '');
    const shrinkage = sourceShrinkage(newest, parent, thresholdPercent);
    if (shrinkage) throw new ShrunkSourceError(shrinkage);
  }
}
