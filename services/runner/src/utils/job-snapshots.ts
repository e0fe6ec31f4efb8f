import type { SnapshotRecord } from '@cairn/engine';

/**
 * A snapshot another server job made: each job has a repository of its own (the catalog enforces
 * it), but one made by hand, or an older layout, may still hold others. A snapshot without a job
 * was made with the CLI, on this job's repository.
 */
export function isOtherJobs(snapshot: Pick<SnapshotRecord, 'job'>, jobId: string): boolean {
  return snapshot.job !== undefined && snapshot.job !== jobId;
}
