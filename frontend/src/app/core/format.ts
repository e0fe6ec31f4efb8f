// How numbers and times read on screen, the same on every page. Sizes, durations and counts follow
// the one rule in contracts, so that the notifier's reports read the same.
import { countOf, formatBytes } from '@contracts/rules/units';

export { countOf, formatBytes, formatDuration, listInWords } from '@contracts/rules/units';

/** "just now", "5 minutes ago", "in 3 hours", "2 days ago". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const delta = new Date(iso).getTime() - now;
  const abs = Math.abs(delta);
  if (abs < 45_000) return delta < 0 ? 'just now' : 'in a moment';
  const steps: [number, string][] = [
    [60_000, 'minute'],
    [3_600_000, 'hour'],
    [86_400_000, 'day'],
    [7 * 86_400_000, 'week'],
  ];
  let [size, name] = steps[0];
  for (const step of steps) if (abs >= step[0] * 0.95) [size, name] = step;
  const count = Math.round(abs / size);
  const words = countOf(count, name);
  return delta < 0 ? `${words} ago` : `in ${words}`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Bytes per second as "12.5 MiB/s". */
export function formatRate(bytes: number, ms: number): string {
  if (ms <= 0) return '—';
  return `${formatBytes((bytes * 1000) / ms)}/s`;
}
