import * as z from 'zod';
import { Id, Timestamp } from './common.js';
import { SnapshotRecord } from './snapshot.js';

/**
 * `unlock` removes the repository locks a run that no longer runs left behind (a crashed runner);
 * `repair` rebuilds the repository's index from its packs (`cairn repair index`).
 */
export const RunKind = z.enum(['backup', 'restore', 'verify', 'forget', 'prune', 'unlock', 'repair']);
export type RunKind = z.infer<typeof RunKind>;

export const RunStatus = z.enum(['queued', 'running', 'succeeded', 'warning', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RestoreParams = z.object({
  snapshotId: z.string().regex(/^[0-9a-f]{64}$/),
  include: z.array(z.string()).default([]),
  /** Relative to the runner's restore root. */
  target: z.string().default(''),
});

/** How much a verify run reads back: a random share of the packs, or every byte. */
export const VerifyParams = z.object({
  readData: z.boolean().default(false),
  /** Share [0–1] of the packs to download and verify when not reading all data; 0 checks the structure only. */
  readDataSubset: z.number().min(0).max(1).default(0.1),
});
export type VerifyParams = z.infer<typeof VerifyParams>;

export const RunStats = z.object({
  filesNew: z.number().optional(),
  filesChanged: z.number().optional(),
  filesUnmodified: z.number().optional(),
  bytesRead: z.number().optional(),
  bytesTotal: z.number().optional(),
  bytesAdded: z.number().optional(),
  repositorySize: z.number().optional(),
  snapshotId: z.string().optional(),
  warnings: z.number().optional(),
});
export type RunStats = z.infer<typeof RunStats>;

export const Run = z.object({
  id: Id,
  jobId: Id,
  kind: RunKind,
  status: RunStatus,
  trigger: z.enum(['schedule', 'manual', 'api']),
  queuedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
  stats: RunStats.nullable(),
  error: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

/** One of `values`, or a 400 that repeats what was typed and lists what would do. */
function oneOf<const T extends Readonly<Record<string, string>>>(values: T, what: string) {
  const listed = Object.values(values).join(', ');
  return z.enum(values, { error: (issue) => `"${String(issue.input)}" is not a ${what}: one of ${listed}` });
}

/** Which runs a history shows: newest first, `limit` of them after skipping `offset`. */
export const RunFilter = z.object({
  jobId: Id.optional(),
  status: oneOf(RunStatus.enum, 'run status').optional(),
  kind: oneOf(RunKind.enum, 'run kind').optional(),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type RunFilter = z.output<typeof RunFilter>;

/** The JetStream work message. Carries no secrets: the runner resolves the job from the catalog. */
export const RunRequest = z.object({
  runId: Id,
  jobId: Id,
  kind: RunKind,
  restore: RestoreParams.optional(),
  /** For verify runs; absent means the default sample. */
  verify: VerifyParams.optional(),
  /** For scheduled runs: the fire time, which also makes the message id (exactly once per fire). */
  fireTime: Timestamp.optional(),
});
export type RunRequest = z.infer<typeof RunRequest>;

export const RunProgress = z.object({
  runId: Id,
  phase: z.string(),
  filesDone: z.number(),
  filesTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  currentPath: z.string(),
  elapsedMs: z.number(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const RunStarted = z.object({
  runId: Id,
  jobId: Id,
  kind: RunKind,
  startedAt: Timestamp,
  runner: z.string(),
});
export type RunStarted = z.infer<typeof RunStarted>;

export const RunFinished = z
  .object({
    runId: Id,
    jobId: Id,
    kind: RunKind,
    status: RunStatus,
    startedAt: Timestamp,
    finishedAt: Timestamp,
    stats: RunStats,
    error: z.string().nullable(),
    /**
     * A failed run that never began its work: the job, its destination or its repository could
     * not be opened (unreachable destination, wrong passphrase…). Absent in events of runners
     * older than the field: those said it with empty stats.
     */
    failedAtStart: z.boolean().optional(),
    /** Last lines of the run's log, secrets never included. */
    logTail: z.array(z.string()),
    /**
     * The job's snapshots as its repository held them when the run ended (absent when it could not
     * be read): the catalog mirrors them from the stream, so a catalog that was away catches up.
     */
    snapshots: z.array(SnapshotRecord).optional(),
  })
  .transform(({ failedAtStart, ...event }) => ({
    ...event,
    failedAtStart: failedAtStart ?? (event.status === 'failed' && Object.keys(event.stats).length === 0),
  }));
export type RunFinished = z.infer<typeof RunFinished>;
