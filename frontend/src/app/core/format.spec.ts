import { formatBytes, formatDuration, formatRate, formatRelative } from './format';

describe('format', () => {
  it('writes bytes with binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(700 * 1024 * 1024)).toBe('700.0 MiB');
    expect(formatBytes(undefined)).toBe('—');
  });

  it('writes durations in the largest sensible units', () => {
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
  });

  it('writes times relative to now', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(formatRelative('2026-11-23T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-11-23T11:55:00Z', now)).toBe('5 minutes ago');
    expect(formatRelative('2026-11-23T15:00:00Z', now)).toBe('in 3 hours');
    expect(formatRelative(null, now)).toBe('never');
  });

  it('writes a rate per second', () => {
    expect(formatRate(10 * 1024 * 1024, 2000)).toBe('5.00 MiB/s');
    expect(formatRate(1, 0)).toBe('—');
  });
});
