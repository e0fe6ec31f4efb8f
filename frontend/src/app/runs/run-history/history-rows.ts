import type { Run, RunKind, RunStatus } from '../../core/api.types';
import { formatBytes, formatDateTime, formatDuration } from '../../core/format';
import { backupFigures, runDurationMs } from '../../dashboard/job-health';

export const KIND_LABELS: Record<RunKind, string> = {
  backup: 'Backup',
  restore: 'Restore',
  verify: 'Check',
  forget: 'Forget',
  prune: 'Prune',
  unlock: 'Unlock',
  repair: 'Repair index',
};

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  warning: 'Warning',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const TRIGGER_LABELS: Record<Run['trigger'], string> = {
  schedule: 'Scheduled',
  manual: 'By hand',
  // "Back up now" and restores from the web app come through the API too.
  api: 'On request',
};

/** One line of the run history, in words. */
export interface HistoryRow {
  run: Run;
  job: string;
  kind: string;
  trigger: string;
  started: string;
  duration: string;
  /** "12 files", "+4.2 MiB": only what the run measured. */
  figures: string[];
}

export function historyRow(run: Run, jobNames: ReadonlyMap<string, string>): HistoryRow {
  const durationMs = runDurationMs(run);
  const { files, bytesAdded } = backupFigures(run);
  const figures = [
    ...(files === null ? [] : [`${files.toLocaleString()} ${files === 1 ? 'file' : 'files'}`]),
    ...(bytesAdded === null ? [] : [`+${formatBytes(bytesAdded)}`]),
  ];
  return {
    run,
    // A run outlives nothing: a removed job's runs go with it, but the list may race a delete.
    job: jobNames.get(run.jobId) ?? 'Removed job',
    kind: KIND_LABELS[run.kind],
    trigger: TRIGGER_LABELS[run.trigger],
    started: run.startedAt ? formatDateTime(run.startedAt) : `Queued ${formatDateTime(run.queuedAt)}`,
    duration: durationMs === null ? '' : formatDuration(durationMs),
    figures,
  };
}
