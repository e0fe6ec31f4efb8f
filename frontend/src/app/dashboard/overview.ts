import type { Job, Run, SchedulerStatus } from '../core/api.types';
import { chartSamples, type ChartSample } from './chart-geometry';
import { jobHealth, type JobHealth } from './job-health';
import { nextRun, type NextRun } from './next-run';

/** Everything a job's card shows, worked out once per refresh. */
export interface JobOverview {
  job: Job;
  /** Newest first, as loaded (at most 20). */
  runs: Run[];
  health: JobHealth;
  next: NextRun;
  samples: ChartSample[];
}

/** The cards in name order; `scheduler` is null when the scheduler did not answer. */
export function buildOverviews(
  jobs: readonly Job[],
  runsByJob: ReadonlyMap<string, Run[]>,
  scheduler: SchedulerStatus | null,
  now: Date,
): JobOverview[] {
  const nextAt = new Map(scheduler?.next.map((entry) => [entry.jobId, entry.at]));
  return [...jobs]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((job) => {
      const runs = runsByJob.get(job.id) ?? [];
      return {
        job,
        runs,
        health: jobHealth(job, runs, now),
        next: nextRun(job, nextAt.get(job.id) ?? null, scheduler?.pausedUntil ?? null, now),
        samples: chartSamples(runs),
      };
    });
}
