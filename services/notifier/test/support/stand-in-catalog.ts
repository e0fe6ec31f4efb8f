import { randomUUID } from 'node:crypto';
import {
  CATALOG,
  HandlerError,
  serve,
  type Delivery,
  type Job,
  type NatsConnection,
  type ResolvedChannel,
  type Run,
} from '@cairn/contracts';

/**
 * Answers the catalog endpoints the notifier calls, from memory, over the real NATS server: a
 * stand-in for our own catalog service (tested on its own against PostgreSQL), not for NATS.
 */
export function standInCatalog(nc: NatsConnection) {
  const state = {
    channels: new Map<string, ResolvedChannel>(),
    deliveries: [] as Delivery[],
    jobs: new Map<string, Job>(),
    runs: new Map<string, Run[]>(),
    overdue: new Map<string, { jobId: string; since: string; thresholdMinutes: number }>(),
  };
  const options = { queue: `catalog-${randomUUID()}`, logger: console };
  const subscriptions = [
    serve(
      nc,
      CATALOG.channels.resolve,
      async ({ ids }) => [...state.channels.values()].filter((channel) => !ids || ids.includes(channel.id)),
      options,
    ),
    serve(
      nc,
      CATALOG.deliveries.record,
      async (input) => {
        const same = state.deliveries.find(
          (delivery) =>
            delivery.reportKey === input.reportKey &&
            delivery.channelId === input.channelId &&
            delivery.attempt === input.attempt,
        );
        if (same) return { delivery: same, created: false };
        const delivery = { ...input, id: randomUUID(), at: new Date().toISOString() };
        state.deliveries.push(delivery);
        return { delivery, created: true };
      },
      options,
    ),
    serve(
      nc,
      CATALOG.deliveries.list,
      async ({ channelId, reportKey, limit }) =>
        state.deliveries
          .filter(
            (delivery) =>
              (!channelId || delivery.channelId === channelId) &&
              (!reportKey || delivery.reportKey === reportKey),
          )
          .reverse()
          .slice(0, limit),
      options,
    ),
    serve(
      nc,
      CATALOG.jobs.get,
      async ({ id }) => {
        const job = state.jobs.get(id);
        if (!job) throw new HandlerError('not-found', `no job with id ${id}`);
        return job;
      },
      options,
    ),
    serve(nc, CATALOG.jobs.list, async () => [...state.jobs.values()], options),
    serve(nc, CATALOG.runs.list, async ({ jobId }) => (jobId ? (state.runs.get(jobId) ?? []) : []), options),
    serve(nc, CATALOG.overdue.list, async () => [...state.overdue.values()], options),
    serve(
      nc,
      CATALOG.overdue.set,
      async (lapse) => {
        state.overdue.set(lapse.jobId, lapse);
        return { ok: true as const };
      },
      options,
    ),
    serve(
      nc,
      CATALOG.overdue.clear,
      async ({ jobId }) => ({ removed: state.overdue.delete(jobId) }),
      options,
    ),
  ];
  return {
    state,
    /** Deliveries of one channel, oldest first. */
    deliveriesOf: (channelId: string) =>
      state.deliveries.filter((delivery) => delivery.channelId === channelId),
    stop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()),
  };
}
