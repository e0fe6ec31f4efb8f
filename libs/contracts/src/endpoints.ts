import * as z from 'zod';
import { SUBJECTS } from './subjects.js';
import { Channel, ChannelInput, ChannelPatch, ResolvedChannel } from './schemas/channel.js';
import { Id, Timestamp } from './schemas/common.js';
import { Delivery, DeliveryInput } from './schemas/delivery.js';
import { Destination, DestinationInput, DestinationPatch } from './schemas/destination.js';
import { Job, JobInput, JobPatch, Passphrase, ResolvedJob } from './schemas/job.js';
import { RestoreParams, Run, RunFilter, RunKind } from './schemas/run.js';
import { TestSendResult } from './schemas/notification.js';
import { SnapshotRecord, TreeEntry } from './schemas/snapshot.js';

/** A request/reply subject with the schemas both ends validate. */
export interface Endpoint<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  subject: string;
  request: Req;
  response: Res;
}

function endpoint<Req extends z.ZodType, Res extends z.ZodType>(
  subject: string,
  request: Req,
  response: Res,
): Endpoint<Req, Res> {
  return { subject, request, response };
}

const ById = z.object({ id: Id });
const Removed = z.object({ removed: z.boolean() });
const DestinationTestResult = z.object({
  ok: z.boolean(),
  message: z.string(),
  latencyMs: z.number(),
  /** The SSH host key that stopped the test, offered to trust (SHA256:…). */
  hostKey: z.string().optional(),
});
const catalog = SUBJECTS.catalog;
const OverdueLapse = z.object({ jobId: Id, since: Timestamp, thresholdMinutes: z.number().positive() });

export const CATALOG = {
  destinations: {
    list: endpoint(catalog('destinations', 'list'), z.object({}), z.array(Destination)),
    get: endpoint(catalog('destinations', 'get'), ById, Destination),
    create: endpoint(catalog('destinations', 'create'), DestinationInput, Destination),
    update: endpoint(
      catalog('destinations', 'update'),
      z.object({ id: Id, patch: DestinationPatch }),
      Destination,
    ),
    remove: endpoint(catalog('destinations', 'remove'), ById, Removed),
    /** For runners only (NATS permissions enforce it): the destination with its secrets. */
    resolve: endpoint(catalog('destinations', 'resolve'), ById, ResolvedJob.shape.destination),
  },
  jobs: {
    list: endpoint(catalog('jobs', 'list'), z.object({}), z.array(Job)),
    get: endpoint(catalog('jobs', 'get'), ById, Job),
    create: endpoint(catalog('jobs', 'create'), JobInput, Job),
    update: endpoint(catalog('jobs', 'update'), z.object({ id: Id, patch: JobPatch }), Job),
    remove: endpoint(catalog('jobs', 'remove'), ById, Removed),
    /** For runners only (NATS permissions enforce it): the job with its passphrase and destination secrets. */
    resolve: endpoint(catalog('jobs', 'resolve'), ById, ResolvedJob),
  },
  runs: {
    list: endpoint(catalog('runs', 'list'), RunFilter, z.array(Run)),
    /** The newest `perJob` runs of every job in one answer: the dashboard's cards, not a request per job. */
    recent: endpoint(
      catalog('runs', 'recent'),
      z.object({ perJob: z.number().int().min(1).max(50).default(20) }),
      z.array(Run),
    ),
    get: endpoint(catalog('runs', 'get'), ById, Run),
    /** Idempotent on `id`: two schedulers creating the run of one fire create one row. */
    create: endpoint(
      catalog('runs', 'create'),
      z.object({
        id: Id,
        jobId: Id,
        kind: RunKind,
        trigger: Run.shape.trigger,
        restore: RestoreParams.optional(),
      }),
      z.object({ run: Run, created: z.boolean() }),
    ),
    log: endpoint(catalog('runs', 'log'), ById, z.object({ lines: z.array(z.string()) })),
  },
  snapshots: {
    list: endpoint(catalog('snapshots', 'list'), z.object({ jobId: Id }), z.array(SnapshotRecord)),
    /** Replaces the mirror of a job's snapshots with what its repository holds now. */
    sync: endpoint(
      catalog('snapshots', 'sync'),
      z.object({ jobId: Id, snapshots: z.array(SnapshotRecord) }),
      z.object({ count: z.number() }),
    ),
  },
  channels: {
    list: endpoint(catalog('channels', 'list'), z.object({}), z.array(Channel)),
    get: endpoint(catalog('channels', 'get'), ById, Channel),
    create: endpoint(catalog('channels', 'create'), ChannelInput, Channel),
    update: endpoint(catalog('channels', 'update'), z.object({ id: Id, patch: ChannelPatch }), Channel),
    remove: endpoint(catalog('channels', 'remove'), ById, Removed),
    /** For the notifier only (NATS permissions enforce it): the channels with their secrets (`ids` absent = every channel). */
    resolve: endpoint(
      catalog('channels', 'resolve'),
      z.object({ ids: z.array(Id).optional() }),
      z.array(ResolvedChannel),
    ),
  },
  deliveries: {
    /** Idempotent on (reportKey, channelId, attempt): a redelivered event records nothing twice. */
    record: endpoint(
      catalog('deliveries', 'record'),
      DeliveryInput,
      z.object({ delivery: Delivery, created: z.boolean() }),
    ),
    /** Newest first. */
    list: endpoint(
      catalog('deliveries', 'list'),
      z.object({
        channelId: Id.optional(),
        reportKey: z.string().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
      z.array(Delivery),
    ),
  },
  /**
   * For the notifier only (NATS permissions enforce it): the jobs it reported overdue, so the
   * "recovered" report follows even after a restart. Kept apart from the settings anyone may write.
   */
  overdue: {
    list: endpoint(catalog('overdue', 'list'), z.object({}), z.array(OverdueLapse)),
    /** Records a job's lapse, replacing the one it had. */
    set: endpoint(catalog('overdue', 'set'), OverdueLapse, z.object({ ok: z.literal(true) })),
    /** Once the job succeeded again. */
    clear: endpoint(catalog('overdue', 'clear'), z.object({ jobId: Id }), Removed),
  },
  settings: {
    get: endpoint(catalog('settings', 'get'), z.object({}), z.record(z.string(), z.unknown())),
    update: endpoint(
      catalog('settings', 'update'),
      z.record(z.string(), z.unknown()),
      z.record(z.string(), z.unknown()),
    ),
  },
  /**
   * Sign-in sessions, one row per refresh-token family, so revocations outlive a gateway restart.
   * Only the family's current token refreshes; presenting an earlier one (a stolen copy) ends it.
   */
  sessions: {
    start: endpoint(
      catalog('sessions', 'start'),
      z.object({ id: Id, tokenId: Id, expiresAt: Timestamp }),
      z.object({ ok: z.literal(true) }),
    ),
    rotate: endpoint(
      catalog('sessions', 'rotate'),
      z.object({ id: Id, tokenId: Id, nextTokenId: Id, expiresAt: Timestamp }),
      z.object({ outcome: z.enum(['rotated', 'reused', 'unknown']) }),
    ),
    end: endpoint(catalog('sessions', 'end'), ById, Removed),
  },
  admin: {
    get: endpoint(catalog('admin', 'get'), z.object({}), z.object({ passwordHash: z.string().nullable() })),
    setPassword: endpoint(
      catalog('admin', 'set-password'),
      z.object({ passwordHash: z.string().min(10) }),
      z.object({ ok: z.literal(true) }),
    ),
  },
} as const;

const RepositoryAccess = z.object({ destination: ResolvedJob.shape.destination, passphrase: z.string() });

export const RUNNER = {
  /** Where this runner backs up from and restores to, as the UI shows them. */
  folders: endpoint(
    'cairn.runner.folders',
    z.object({}),
    z.object({ sourceRoots: z.array(z.string()), restoreRoot: z.string() }),
  ),
  /** Fails, naming the folders, when this runner cannot read or write the folders it works in. */
  health: endpoint('cairn.runner.health', z.object({}), z.object({ ok: z.literal(true) })),
  browse: endpoint(SUBJECTS.runnerBrowse, z.object({ path: z.string().default('/') }), z.array(TreeEntry)),
  snapshotTree: endpoint(
    'cairn.runner.snapshot.tree',
    z.object({ jobId: Id, snapshotId: z.string().regex(/^[0-9a-f]{64}$/), path: z.string().default('/') }),
    z.array(TreeEntry),
  ),
  testDestination: endpoint(
    SUBJECTS.runnerTestDestination,
    DestinationInput.pick({ url: true, options: true, secrets: true }),
    DestinationTestResult,
  ),
  /** Tests a saved destination: the runner resolves its secrets, which never pass the gateway. */
  testSavedDestination: endpoint(SUBJECTS.runnerTestSavedDestination, ById, DestinationTestResult),
  /**
   * A passphrase change, first step: adds a key for `newPassphrase` to the job's repository (opened
   * with its current `passphrase`) and proves it by opening the repository with it. `absent`: the
   * job has no repository yet, so there is nothing to re-key. Refused while a run of the job goes.
   */
  addKey: endpoint(
    SUBJECTS.runnerKeyAdd,
    RepositoryAccess.extend({ jobId: Id, newPassphrase: Passphrase }),
    z.union([
      z.object({ repository: z.literal('absent') }),
      z.object({ repository: z.literal('keyed'), oldKey: z.string().min(1) }),
    ]),
  ),
  /** Last step, once the catalog keeps the new passphrase: removes the old one's key (opened with the new). */
  removeKey: endpoint(
    SUBJECTS.runnerKeyRemove,
    RepositoryAccess.extend({ key: z.string().min(1) }),
    z.object({ removed: z.string() }),
  ),
  /**
   * A file of a snapshot, or a folder as a tar archive, streamed to `inbox` (see byte-stream.ts);
   * the answer comes before the bytes and says what they are.
   */
  download: endpoint(
    'cairn.runner.download',
    z.object({
      jobId: Id,
      snapshotId: z.string().regex(/^[0-9a-f]{64}$/),
      path: z.string().startsWith('/'),
      inbox: z.string().min(1),
    }),
    z.object({ name: z.string(), kind: z.enum(['file', 'tar']) }),
  ),
} as const;

export const SCHEDULER = {
  /**
   * Pauses every scheduler replica until `untilMs` (epoch ms; the pause lifts by itself then);
   * `null` resumes. To pause until resumed, pass Number.MAX_SAFE_INTEGER.
   */
  pause: endpoint(
    SUBJECTS.schedulerPause,
    z.object({ untilMs: z.number().nullable() }),
    z.object({ pausedUntil: z.number().nullable() }),
  ),
  status: endpoint(
    SUBJECTS.schedulerStatus,
    z.object({}),
    z.object({ pausedUntil: z.number().nullable(), next: z.array(z.object({ jobId: Id, at: z.string() })) }),
  ),
} as const;

export const NOTIFIER = {
  /** Sends a test report through a saved channel now (recorded like any delivery). */
  test: endpoint(SUBJECTS.notifierTest, z.object({ channelId: Id }), TestSendResult),
  /** Answered by any notifier replica: health probes. */
  status: endpoint('cairn.notifier.status', z.object({}), z.object({ ok: z.literal(true) })),
} as const;
