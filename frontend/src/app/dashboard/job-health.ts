import { overdueAfterMinutes } from '@contracts/overdue';
import type { Job, Run } from '../core/api.types';
import type { ChipStatus } from '../shared/status-chip/status-chip';

/** What a job's chip says: its newest run's status, or that it never ran. */
export type JobStatus = Exclude<ChipStatus, 'overdue'>;

export interface Overdue {
  thresholdMinutes: number;
  /** When the last successful backup finished; null when the job never had one. */
  lastSuccessAt: string | null;
}

export interface JobHealth {
  status: JobStatus;
  /** The run the chip describes. Restores are left out: they say nothing about the backups' health. */
  statusRun: Run | null;
  /** The newest finished backup, whose figures the card shows. */
  lastBackup: Run | null;
  repositorySize: number | null;
  overdue: Overdue | null;
}

const ACTIVE: readonly Run['status'][] = ['queued', 'running'];

export const isActive = (run: Run | null): boolean => !!run && ACTIVE.includes(run.status);

export const isSuccess = (run: Run): boolean => run.status === 'succeeded' || run.status === 'warning';

/** Newest first, whatever order the runs arrived in. */
export function newestFirst(runs: readonly Run[]): Run[] {
  return [...runs].sort((a, b) => Date.parse(b.queuedAt) - Date.parse(a.queuedAt));
}

export function jobHealth(job: Job, runs: readonly Run[], now: Date): JobHealth {
  const sorted = newestFirst(runs);
  const statusRun = sorted.find((run) => run.kind !== 'restore') ?? null;
  const backups = sorted.filter((run) => run.kind === 'backup');
  return {
    status: statusRun?.status ?? 'never',
    statusRun,
    lastBackup: backups.find((run) => run.finishedAt !== null && run.status !== 'cancelled') ?? null,
    repositorySize:
      sorted.find((run) => run.stats?.repositorySize !== undefined)?.stats?.repositorySize ?? null,
    overdue: overdue(job, backups, now),
  };
}

/**
 * The notifier's rule, so the dashboard and the "overdue" e-mail agree: an enabled job whose last
 * successful backup (or, without one, its creation) is older than its threshold.
 */
export function overdue(job: Job, backups: readonly Run[], now: Date): Overdue | null {
  const threshold = job.enabled ? overdueAfterMinutes(job, now) : null;
  if (threshold === null) return null;
  const lastSuccessAt =
    newestFirst(backups).find((run) => isSuccess(run) && run.finishedAt !== null)?.finishedAt ?? null;
  const since = Date.parse(lastSuccessAt ?? job.createdAt);
  return now.getTime() - since > threshold * 60_000 ? { thresholdMinutes: threshold, lastSuccessAt } : null;
}

/** Added, scanned and new-or-changed figures of a finished backup. */
export function backupFigures(run: Run): {
  bytesAdded: number | null;
  files: number | null;
  changed: number;
} {
  const stats = run.stats ?? {};
  const changed = (stats.filesNew ?? 0) + (stats.filesChanged ?? 0);
  const files =
    stats.filesNew === undefined && stats.filesChanged === undefined && stats.filesUnmodified === undefined
      ? null
      : changed + (stats.filesUnmodified ?? 0);
  return { bytesAdded: stats.bytesAdded ?? null, files, changed };
}

export function runDurationMs(run: Run): number | null {
  if (!run.startedAt || !run.finishedAt) return null;
  return Date.parse(run.finishedAt) - Date.parse(run.startedAt);
}
