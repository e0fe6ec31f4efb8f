import type { Job } from '../core/api.types';
import { formatDateTime, formatRelative } from '../core/format';
import { scheduleProblem } from '@contracts/rules/schedule';
import { nextRuns } from '../jobs/lib/cron';

export interface NextRun {
  kind: 'scheduled' | 'manual' | 'paused' | 'disabled' | 'invalid';
  /** "in 3 hours · Tue 02:30", "Manual only", "Paused", "Paused until Tue 14:00", "Schedule cannot run". */
  text: string;
  /** The exact time (or what is wrong with the schedule), for a tooltip; null when there is none. */
  exact: string | null;
}

/** A pause longer than this is a pause "until resumed" (the gateway stores that as a far-off time). */
const INDEFINITE_MS = 365 * 86_400_000;

/**
 * When the job runs next, in words. `scheduledAt` is the scheduler's own answer; without one (the
 * scheduler has not loaded the job yet) the cron expression is asked directly.
 */
export function nextRun(
  job: Job,
  scheduledAt: string | null,
  pausedUntil: number | null,
  now: Date,
  timeZone?: string,
): NextRun {
  if (!job.schedule) return { kind: 'manual', text: 'Manual only', exact: null };
  if (!job.enabled) return { kind: 'disabled', text: 'Schedule paused', exact: null };
  // Saved before schedules were checked, or written to the database by hand: say so, do not guess.
  const problem = scheduleProblem(job.schedule.cron, job.schedule.timezone);
  if (problem) return { kind: 'invalid', text: 'Schedule cannot run: edit it', exact: problem.message };
  const pause = pauseText(pausedUntil, now, timeZone);
  if (pause) return { kind: 'paused', ...pause };
  const at = scheduledAt
    ? new Date(scheduledAt)
    : (nextRuns(job.schedule.cron, job.schedule.timezone, 1, now)[0] ?? null);
  if (!at) return { kind: 'manual', text: 'No upcoming run', exact: null };
  return {
    kind: 'scheduled',
    text: `${formatRelative(at.toISOString(), now.getTime())} · ${shortWhen(at, now, timeZone)}`,
    exact: formatDateTime(at.toISOString()),
  };
}

/** "Paused until Tue 14:00", or "Paused" until resumed; null when scheduling is not paused now. */
export function pauseText(
  pausedUntil: number | null,
  now: Date,
  timeZone?: string,
): { text: string; exact: string | null } | null {
  if (pausedUntil === null || pausedUntil <= now.getTime()) return null;
  if (pausedUntil - now.getTime() > INDEFINITE_MS) return { text: 'Paused', exact: null };
  const until = new Date(pausedUntil);
  return {
    text: `Paused until ${shortWhen(until, now, timeZone)}`,
    exact: formatDateTime(until.toISOString()),
  };
}

/** "Tue 02:30" within the coming week, "12 Mar 02:30" further out. */
export function shortWhen(at: Date, now: Date, timeZone?: string): string {
  const withinWeek = Math.abs(at.getTime() - now.getTime()) < 6 * 86_400_000;
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    ...(withinWeek ? { weekday: 'short' } : { day: 'numeric', month: 'short' }),
  }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${day} ${time}`;
}
