import { randomUUID } from 'node:crypto';
import { CATALOG, serve, type Job, type NatsConnection } from '@cairn/contracts';

/**
 * Answers the catalog endpoints the gateway tests touch, from memory, over the real NATS server —
 * a stand-in for our own catalog service (tested on its own against PostgreSQL), not for NATS.
 */
export function standInCatalog(nc: NatsConnection) {
  const state = {
    passwordHash: null as string | null,
    jobs: [] as Job[],
    settings: {} as Record<string, unknown>,
  };
  const options = { queue: `catalog-${randomUUID()}`, logger: console };
  const subscriptions = [
    serve(nc, CATALOG.admin.get, async () => ({ passwordHash: state.passwordHash }), options),
    serve(
      nc,
      CATALOG.admin.setPassword,
      async ({ passwordHash }) => ((state.passwordHash = passwordHash), { ok: true as const }),
      options,
    ),
    serve(nc, CATALOG.settings.get, async () => state.settings, options),
    serve(nc, CATALOG.jobs.list, async () => state.jobs, options),
  ];
  return { state, close: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}
