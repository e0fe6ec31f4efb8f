import { randomUUID } from 'node:crypto';
import {
  CATALOG,
  HandlerError,
  serve,
  type NatsConnection,
  type ResolvedJob,
  type RunStatus,
  type SnapshotRecord,
} from '@cairn/contracts';

/**
 * Answers the catalog endpoints a runner calls, from memory, over the real NATS server: a stand-in
 * for our own catalog service (tested on its own against PostgreSQL), not for NATS.
 */
export function standInCatalog(nc: NatsConnection) {
  const state = {
    jobs: new Map<string, ResolvedJob>(),
    /** Run statuses the catalog knows; unknown runs answer not-found, as for a run made elsewhere. */
    runs: new Map<string, RunStatus>(),
    synced: new Map<string, SnapshotRecord[]>(),
    destinations: new Map<string, ResolvedJob['destination']>(),
  };
  const options = { queue: `catalog-${randomUUID()}`, logger: console };
  const known = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new HandlerError('not-found', `no such ${what}`);
    return value;
  };
  const subscriptions = [
    serve(nc, CATALOG.jobs.resolve, async ({ id }) => known(state.jobs.get(id), 'job'), options),
    serve(
      nc,
      CATALOG.destinations.resolve,
      async ({ id }) => known(state.destinations.get(id), 'destination'),
      options,
    ),
    serve(
      nc,
      CATALOG.runs.get,
      async ({ id }) => {
        const status = known(state.runs.get(id), 'run');
        const now = new Date().toISOString();
        return {
          id,
          jobId: randomUUID(),
          kind: 'backup' as const,
          status,
          trigger: 'manual' as const,
          queuedAt: now,
          startedAt: now,
          finishedAt: now,
          stats: null,
          error: null,
        };
      },
      options,
    ),
    serve(
      nc,
      CATALOG.snapshots.sync,
      async ({ jobId, snapshots }) => {
        state.synced.set(jobId, snapshots);
        return { count: snapshots.length };
      },
      options,
    ),
  ];
  return { state, close: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

/** A job as the catalog resolves it for a runner: secrets included. */
export function resolvedJob(
  fields: Partial<ResolvedJob> & Pick<ResolvedJob, 'sources'> & { url: string },
): ResolvedJob {
  const { url, ...rest } = fields;
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: 'test job',
    excludes: [],
    destinationId: randomUUID(),
    repositoryPath: 'test-job',
    schedule: null,
    retention: null,
    compression: 'default',
    packSizeMiB: 1,
    minSourceFilesPercent: 50,
    enabled: true,
    passphrase: `passphrase-${randomUUID()}`,
    destination: { url, options: {}, secrets: {} },
    createdAt: now,
    updatedAt: now,
    ...rest,
  };
}
