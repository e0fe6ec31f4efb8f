import { formatBytes } from '@cairn/contracts';
import type { ReportData } from './report.js';

const ICONS = { success: '✅', warning: '⚠️', error: '❌', fatal: '🛑' } as const;

const STATUS_WORDS: Record<string, string> = {
  succeeded: 'succeeded',
  warning: 'finished with warnings',
  failed: 'failed',
  cancelled: 'was cancelled',
};

/** A warning's reason (such as the source guard's) and a cancel's are not errors. */
const ERROR_LABELS: Record<string, string> = { warning: 'Warning', cancelled: 'Why' };

/** The first line is all a phone shows: icon, job, what happened. */
export function defaultSubject(data: ReportData): string {
  switch (data.event) {
    case 'overdue':
      return `⏰ ${data.job.name}: no successful backup since ${data.overdue?.since ?? 'ever'}`;
    case 'recovered':
      return `✅ ${data.job.name}: backing up again`;
    case 'test':
      return '🔔 Cairn test notification';
    default:
      return `${ICONS[data.level]} ${data.job.name}: ${data.run?.kind ?? 'run'} ${STATUS_WORDS[data.run?.status ?? ''] ?? data.run?.status}`;
  }
}

/** A few short lines, most important first; lines with nothing to say are left out. */
export function defaultBody(data: ReportData): string {
  const { run, stats } = data;
  const lines: (string | false | undefined)[] = [];
  if (data.event === 'test') {
    lines.push('If you can read this, the channel works.');
  } else if (data.event === 'overdue') {
    lines.push(
      `Job "${data.job.name}" has had no successful backup for more than ${data.overdue?.thresholdMinutes} minutes.`,
    );
  } else if (data.event === 'recovered') {
    lines.push(`Job "${data.job.name}" succeeded again after being overdue.`);
  }
  if (run) {
    lines.push(
      `${capital(run.kind)} of "${data.job.name}" ${STATUS_WORDS[run.status] ?? run.status} after ${run.duration}.`,
    );
    lines.push(run.error ? `${ERROR_LABELS[run.status] ?? 'Error'}: ${run.error}` : false);
    const files = [
      ['new', stats.filesNew],
      ['changed', stats.filesChanged],
      ['unchanged', stats.filesUnmodified],
    ].filter(([, count]) => count !== undefined);
    if (files.length > 0) lines.push(`Files: ${files.map(([word, count]) => `${count} ${word}`).join(', ')}`);
    const sizes = [
      ['read', stats.bytesRead],
      ['added', stats.bytesAdded],
      ['repository', stats.repositorySize],
    ].filter(([, size]) => typeof size === 'number');
    if (sizes.length > 0)
      lines.push(`Data: ${sizes.map(([word, size]) => `${formatBytes(size as number)} ${word}`).join(', ')}`);
    if (run.status !== 'succeeded') lines.push(...run.log.slice(-5));
    lines.push(run.url);
  }
  lines.push(`— ${data.host}`);
  return lines.filter(Boolean).join('\n');
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
