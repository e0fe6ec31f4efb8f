import type { RunProgress, RunStatus } from '../core/api.types';

/** What a progress report means to a person: how far, how fast, how long still. */
export interface ProgressSummary {
  /** 0–100, or null while the totals are unknown (the bar then shows activity, not a value). */
  percent: number | null;
  /** Bytes per second since the run started, or null before any byte was processed. */
  bytesPerSecond: number | null;
  /** Estimated time left, or null when it cannot be guessed (no totals yet, or finished). */
  etaMs: number | null;
  finished: boolean;
}

const FINISHED: readonly RunStatus[] = ['succeeded', 'warning', 'failed', 'cancelled'];

export function isFinished(status: RunStatus): boolean {
  return FINISHED.includes(status);
}

export function summarizeProgress(progress: RunProgress | null, status: RunStatus): ProgressSummary {
  const finished = isFinished(status);
  const completed = status === 'succeeded' || status === 'warning';
  const fraction = progress ? doneFraction(progress) : null;
  const percent = completed ? 100 : fraction === null ? null : Math.round(fraction * 1000) / 10;
  const bytesPerSecond =
    progress && progress.elapsedMs > 0 && progress.bytesDone > 0
      ? (progress.bytesDone * 1000) / progress.elapsedMs
      : null;
  // Assumes the rest goes as fast as what is done so far: steadier than the latest interval's speed.
  const etaMs =
    !finished && progress && fraction !== null && fraction > 0 && fraction < 1
      ? (progress.elapsedMs * (1 - fraction)) / fraction
      : null;
  return { percent, bytesPerSecond, etaMs, finished };
}

/** Bytes when their total is known (a fairer measure of work than files), else files. */
function doneFraction(progress: RunProgress): number | null {
  if (progress.bytesTotal > 0) return clamp(progress.bytesDone / progress.bytesTotal);
  if (progress.filesTotal > 0) return clamp(progress.filesDone / progress.filesTotal);
  return null;
}

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}
