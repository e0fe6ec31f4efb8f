import type { SnapshotRecord } from '@cairn/engine';

/**
 * A snapshot another server job made. Jobs that share a destination share its repository; a
 * snapshot without a job was made with the CLI, on this job's repository.
 */
export function isOtherJobs(snapshot: Pick<SnapshotRecord, 'job'>, jobId: string): boolean {
  return snapshot.job !== undefined && snapshot.job !== jobId;
}
