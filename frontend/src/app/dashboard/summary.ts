import type { Run } from '../core/api.types';
import type { JobHealth } from './job-health';

export interface DashboardSummary {
  jobs: number;
  totalRepositorySize: number;
  runsLast24h: number;
  failuresLast24h: number;
}

const DAY_MS = 86_400_000;

/** The strip above the cards. Counts come from the runs each card loaded (its latest 20). */
export function summarize(
  jobs: readonly { health: JobHealth; runs: readonly Run[] }[],
  now: Date,
): DashboardSummary {
  const recent = jobs.flatMap((job) =>
    job.runs.filter((run) => now.getTime() - Date.parse(run.queuedAt) <= DAY_MS),
  );
  return {
    jobs: jobs.length,
    totalRepositorySize: jobs.reduce((sum, job) => sum + (job.health.repositorySize ?? 0), 0),
    runsLast24h: recent.length,
    failuresLast24h: recent.filter((run) => run.status === 'failed').length,
  };
}
