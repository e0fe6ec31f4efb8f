import { CronSchedule } from './rules/schedule.js';
import type { Job } from './schemas/job.js';

/**
 * When a job counts as overdue: its own threshold, or twice its schedule's interval (one missed run
 * is tolerated, two are not). Unscheduled jobs without a threshold are never overdue.
 */
export function overdueAfterMinutes(job: Job, now = new Date()): number | null {
  if (job.overdueAfterMinutes) return job.overdueAfterMinutes;
  if (!job.schedule) return null;
  let fires: Date[];
  try {
    fires = new CronSchedule(job.schedule.cron, job.schedule.timezone).nextRuns(2, now);
  } catch {
    return null; // a schedule that cannot fire is reported as invalid, not as overdue
  }
  const [first, second] = fires;
  if (!first || !second) return null;
  return (2 * (second.getTime() - first.getTime())) / 60_000;
}

/** An overdue job's lapse: since when it has had no successful backup, and the threshold it passed. */
export interface OverdueState {
  since: string;
  thresholdMinutes: number;
}

/**
 * Whether an enabled job is overdue at `now`, given the end of its last successful backup (null:
 * none, and the lapse counts from the job's creation). Null when it is not overdue.
 */
export function overdueState(job: Job, lastSuccess: string | null, now = new Date()): OverdueState | null {
  const threshold = job.enabled ? overdueAfterMinutes(job, now) : null;
  if (threshold === null) return null;
  const since = lastSuccess ?? job.createdAt;
  return now.getTime() - Date.parse(since) > threshold * 60_000
    ? { since, thresholdMinutes: threshold }
    : null;
}
