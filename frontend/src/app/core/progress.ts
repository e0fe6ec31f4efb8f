import type { RunProgress, RunStatus } from './api.types';
import { formatBytes, formatDuration } from './format';

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

/** A report in words, as the run page and the dashboard's cards show it. */
export interface ProgressFigures {
  summary: ProgressSummary;
  /** What the run is doing: its phase, or how it ended. */
  heading: string;
  files: string;
  bytes: string;
  speed: string;
  timeLeft: string;
  elapsed: string;
  /** Empty once finished: the last file read is not the result. */
  currentPath: string;
}

const PHASES: Record<string, string> = {
  backup: 'Backing up',
  restore: 'Restoring',
  forget: 'Applying the retention policy',
  prune: 'Removing data no snapshot needs',
  unlock: 'Removing stale locks',
  repair: 'Rebuilding the index',
};

export function progressFigures(progress: RunProgress | null, status: RunStatus): ProgressFigures {
  const summary = summarizeProgress(progress, status);
  const { bytesPerSecond, etaMs } = summary;
  return {
    summary,
    heading: heading(progress, status),
    files: progress ? files(progress) : '—',
    bytes: progress ? bytes(progress) : '—',
    speed: bytesPerSecond === null ? '—' : `${formatBytes(bytesPerSecond)}/s`,
    timeLeft: timeLeft(etaMs),
    elapsed: formatDuration(progress?.elapsedMs),
    currentPath: summary.finished ? '' : (progress?.currentPath ?? ''),
  };
}

/** In whole seconds: "about 888 ms" claims a precision no estimate has. */
function timeLeft(etaMs: number | null): string {
  if (etaMs === null) return 'estimating…';
  return etaMs < 1000 ? 'less than a second' : `about ${formatDuration(Math.round(etaMs / 1000) * 1000)}`;
}

function heading(progress: RunProgress | null, status: RunStatus): string {
  if (status === 'queued') return 'Waiting for a runner';
  if (status === 'succeeded' || status === 'warning') return 'Finished';
  if (status === 'failed') return 'Stopped by an error';
  if (status === 'cancelled') return 'Cancelled';
  const phase = progress?.phase;
  if (!phase) return 'Starting';
  return PHASES[phase] ?? phase.charAt(0).toUpperCase() + phase.slice(1);
}

function files({ filesDone, filesTotal }: RunProgress): string {
  const done = filesDone.toLocaleString();
  return filesTotal > 0 ? `${done} of ${filesTotal.toLocaleString()}` : done;
}

function bytes({ bytesDone, bytesTotal }: RunProgress): string {
  const done = formatBytes(bytesDone);
  if (bytesTotal <= 0) return done;
  const total = formatBytes(bytesTotal);
  // "418.1 of 420.0 MiB": the unit once when both share it.
  const [number, unit] = done.split(' ');
  return total.endsWith(` ${unit}`) ? `${number} of ${total}` : `${done} of ${total}`;
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
