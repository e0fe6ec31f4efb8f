// How numbers and times read on screen, the same on every page.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** "45 s", "3 min 20 s", "2 h 5 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

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
  const words = `${count} ${name}${count === 1 ? '' : 's'}`;
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
