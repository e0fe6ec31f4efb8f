import { randomUUID } from 'node:crypto';
import type { ChannelKind, Job, ResolvedChannel, RunFinished } from '@cairn/contracts';

export function job(overrides: Partial<Job> = {}): Job {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `Photos ${randomUUID().slice(0, 4)}`,
    sources: ['/srv/photos'],
    excludes: [],
    destinationId: randomUUID(),
    repositoryPath: 'photos',
    schedule: null,
    retention: null,
    compression: 'default',
    packSizeMiB: 16,
    minSourceFilesPercent: 50,
    passphrase: { set: true },
    enabled: true,
    channelIds: [],
    overdueAfterMinutes: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function channel(
  kind: ChannelKind,
  settings: Record<string, unknown>,
  overrides: Partial<ResolvedChannel> = {},
): ResolvedChannel {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: `${kind}-${randomUUID().slice(0, 4)}`,
    kind,
    settings,
    secrets: {},
    levels: ['success', 'warning', 'error', 'fatal'],
    default: false,
    enabled: true,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export function runFinished(jobId: string, overrides: Partial<RunFinished> = {}): RunFinished {
  return {
    runId: randomUUID(),
    jobId,
    kind: 'backup',
    status: 'succeeded',
    startedAt: '2030-01-01T02:00:00.000Z',
    finishedAt: '2030-01-01T02:03:05.000Z',
    stats: {
      filesNew: 12,
      filesChanged: 3,
      filesUnmodified: 1024,
      bytesRead: 1_500_000_000,
      bytesAdded: 34_000_000,
    },
    error: null,
    failedAtStart: false,
    logTail: ['scanning /srv/photos', 'done'],
    ...overrides,
  };
}
