import type { ResolvedJob, RunRequest, RunStats } from '@cairn/contracts';
import type { Repository } from '@cairn/engine';
import type { ProgressReporter } from '../utils/progress-reporter.js';
import type { RunLog } from '../utils/run-log.js';

/** What an operation works with: the opened repository of the resolved job, and the run's channels. */
export interface RunContext {
  request: RunRequest;
  job: ResolvedJob;
  repo: Repository;
  signal: AbortSignal;
  progress: ProgressReporter;
  log: RunLog;
}

export interface OperationResult {
  stats: RunStats;
  /** Anything that makes the run end as `warning` rather than `succeeded`. */
  warnings: number;
  /** Set when a later step failed after the main work was done (e.g. retention after a backup). */
  error?: string;
}
