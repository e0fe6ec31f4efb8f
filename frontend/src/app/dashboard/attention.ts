import type { Job } from '../core/api.types';
import { countOf, formatRelative } from '../core/format';
import type { JobHealth } from './job-health';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** One line of the "Needs attention" banner. */
export interface AttentionItem {
  jobId: string;
  jobName: string;
  kind: 'failed' | 'overdue';
  /** What is wrong, in words. */
  message: string;
  /** The run to open, when there is one. */
  runId: string | null;
}

/** Failed jobs first (they need action), then overdue ones, each group by name. */
export function attentionItems(jobs: readonly { job: Job; health: JobHealth }[], now: Date): AttentionItem[] {
  const failed: AttentionItem[] = [];
  const overdue: AttentionItem[] = [];
  for (const { job, health } of jobs) {
    const run = health.statusRun;
    if (health.status === 'failed' && run) {
      const when = formatRelative(run.finishedAt ?? run.queuedAt, now.getTime());
      failed.push({
        jobId: job.id,
        jobName: job.name,
        kind: 'failed',
        message: `The last ${run.kind} failed ${when}: ${run.error?.trim() || 'no reason was recorded'}`,
        runId: run.id,
      });
    }
    if (health.overdue) {
      const expected = spanWords(health.overdue.thresholdMinutes * 60_000);
      const last = health.overdue.lastSuccessAt;
      overdue.push({
        jobId: job.id,
        jobName: job.name,
        kind: 'overdue',
        message: last
          ? `Overdue: the last successful backup was ${formatRelative(last, now.getTime())}; one is expected at least every ${expected}.`
          : `Overdue: no successful backup since it was created ${formatRelative(job.createdAt, now.getTime())}; one is expected at least every ${expected}.`,
        runId: run?.id ?? null,
      });
    }
  }
  const byName = (a: AttentionItem, b: AttentionItem) => a.jobName.localeCompare(b.jobName);
  return [...failed.sort(byName), ...overdue.sort(byName)];
}

/** "2 days", "5 hours", "30 minutes": a threshold as a person would say it. */
export function spanWords(ms: number): string {
  const [size, name]: [number, string] =
    ms >= 2 * DAY_MS ? [DAY_MS, 'day'] : ms >= 2 * HOUR_MS ? [HOUR_MS, 'hour'] : [60_000, 'minute'];
  const count = Math.max(1, Math.round(ms / size));
  return countOf(count, name);
}
