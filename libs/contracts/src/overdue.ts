import { Cron } from 'croner';
import type { Job } from './schemas/job.js';

/**
 * When a job counts as overdue: its own threshold, or twice its schedule's interval (one missed run
 * is tolerated, two are not). Unscheduled jobs without a threshold are never overdue.
 */
export function overdueAfterMinutes(job: Job, now = new Date()): number | null {
  if (job.overdueAfterMinutes) return job.overdueAfterMinutes;
  if (!job.schedule) return null;
  const [first, second] = new Cron(job.schedule.cron, {
    timezone: job.schedule.timezone,
    paused: true,
  }).nextRuns(2, now);
  if (!first || !second) return null;
  return (2 * (second.getTime() - first.getTime())) / 60_000;
}
