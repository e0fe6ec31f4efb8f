import type { Job, Run } from '../core/api.types';

// Builders for the specs: a plausible job or run, with only what a test is about spelled out.

export const NOW = new Date('2026-11-23T12:00:00Z');

export const minutesAgo = (minutes: number, now = NOW): string =>
  new Date(now.getTime() - minutes * 60_000).toISOString();

export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    id: 'job-1',
    name: 'Documents',
    sources: ['/data/documents'],
    excludes: [],
    destinationId: 'dest-1',
    repositoryPath: 'documents',
    schedule: null,
    retention: null,
    compression: 'default',
    packSizeMiB: 16,
    minSourceFilesPercent: 50,
    passphrase: { set: true },
    enabled: true,
    overdueAfterMinutes: null,
    createdAt: minutesAgo(30 * 24 * 60),
    updatedAt: minutesAgo(30 * 24 * 60),
    ...overrides,
  };
}

let runCount = 0;

/** A backup that finished `minutesAgo` minutes before NOW after running for `durationMs`. */
export function aRun(
  overrides: Partial<Run> & { finishedMinutesAgo?: number; durationMs?: number } = {},
): Run {
  const { finishedMinutesAgo = 60, durationMs = 5_000, ...fields } = overrides;
  const finishedAt = minutesAgo(finishedMinutesAgo);
  const startedAt = new Date(Date.parse(finishedAt) - durationMs).toISOString();
  return {
    id: `run-${++runCount}`,
    jobId: 'job-1',
    kind: 'backup',
    status: 'succeeded',
    trigger: 'schedule',
    queuedAt: startedAt,
    startedAt,
    finishedAt,
    stats: {
      repositorySize: 1024 * 1024,
      bytesAdded: 2048,
      filesNew: 1,
      filesChanged: 0,
      filesUnmodified: 9,
    },
    error: null,
    ...fields,
  };
}
