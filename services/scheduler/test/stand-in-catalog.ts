import { randomUUID } from 'node:crypto';
import { CATALOG, serve, type Job, type NatsConnection, type Run } from '@cairn/contracts';

/**
 * Answers the catalog endpoints a scheduler calls, from memory, over the real NATS server: a
 * stand-in for our own catalog service (tested on its own against PostgreSQL), not for NATS.
 */
export function standInCatalog(nc: NatsConnection) {
  const state = {
    jobs: [] as Job[],
    runs: new Map<string, Run>(),
    /** Every runs.create call, duplicates included. */
    creates: [] as string[],
  };
  const options = { queue: `catalog-${randomUUID()}`, logger: console };
  const subscriptions = [
    serve(nc, CATALOG.jobs.list, async () => state.jobs, options),
    serve(
      nc,
      CATALOG.runs.create,
      async ({ id, jobId, kind, trigger }) => {
        state.creates.push(id);
        const existing = state.runs.get(id);
        if (existing) return { run: existing, created: false };
        const run: Run = {
          id,
          jobId,
          kind,
          trigger,
          status: 'queued',
          queuedAt: new Date().toISOString(),
          startedAt: null,
          finishedAt: null,
          stats: null,
          error: null,
        };
        state.runs.set(id, run);
        return { run, created: true };
      },
      options,
    ),
    serve(
      nc,
      CATALOG.runs.list,
      async ({ jobId, kind, limit }) =>
        [...state.runs.values()]
          .filter((run) => (!jobId || run.jobId === jobId) && (!kind || run.kind === kind))
          .sort((a, b) => b.queuedAt.localeCompare(a.queuedAt))
          .slice(0, limit),
      options,
    ),
  ];
  return { state, close: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}

export function scheduledJob(cron: string | null, fields: Partial<Job> = {}): Job {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: 'scheduled job',
    sources: ['/source/x'],
    excludes: [],
    repositoryPath: 'scheduled-job',
    destinationId: randomUUID(),
    schedule: cron ? { cron, timezone: 'UTC' } : null,
    retention: null,
    compression: 'default',
    packSizeMiB: 16,
    minSourceFilesPercent: 50,
    enabled: true,
    passphrase: { set: true },
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}
