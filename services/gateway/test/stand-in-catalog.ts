import { randomUUID } from 'node:crypto';
import { CATALOG, HandlerError, serve, type Job, type NatsConnection, type Run } from '@cairn/contracts';

/**
 * Answers the catalog endpoints the gateway tests touch, from memory, over the real NATS server —
 * a stand-in for our own catalog service (tested on its own against PostgreSQL), not for NATS.
 * Its state outlives a gateway: a restarted gateway finds what the first one recorded.
 */
export function standInCatalog(nc: NatsConnection) {
  const state = {
    passwordHash: null as string | null,
    jobs: [] as Job[],
    runs: [] as Run[],
    settings: {} as Record<string, unknown>,
    /** Sign-in sessions: id → the current refresh token's id. */
    sessions: new Map<string, string>(),
    /** While set, reading the admin's password hash waits for it: password checks stay in progress. */
    adminHeld: null as Promise<void> | null,
  };
  const options = { queue: `catalog-${randomUUID()}`, logger: console };
  const subscriptions = [
    serve(
      nc,
      CATALOG.admin.get,
      async () => {
        await state.adminHeld;
        return { passwordHash: state.passwordHash };
      },
      options,
    ),
    serve(
      nc,
      CATALOG.admin.setPassword,
      async ({ passwordHash }) => ((state.passwordHash = passwordHash), { ok: true as const }),
      options,
    ),
    serve(nc, CATALOG.settings.get, async () => state.settings, options),
    serve(nc, CATALOG.jobs.list, async () => state.jobs, options),
    serve(
      nc,
      CATALOG.runs.get,
      async ({ id }) => {
        const run = state.runs.find((candidate) => candidate.id === id);
        if (!run) throw new HandlerError('not-found', `no run with id ${id}`);
        return run;
      },
      options,
    ),
    serve(
      nc,
      CATALOG.sessions.start,
      async ({ id, tokenId }) => (state.sessions.set(id, tokenId), { ok: true as const }),
      options,
    ),
    serve(
      nc,
      CATALOG.sessions.rotate,
      async ({ id, tokenId, nextTokenId }) => {
        const current = state.sessions.get(id);
        if (current === tokenId)
          return (state.sessions.set(id, nextTokenId), { outcome: 'rotated' as const });
        return { outcome: state.sessions.delete(id) ? ('reused' as const) : ('unknown' as const) };
      },
      options,
    ),
    serve(nc, CATALOG.sessions.end, async ({ id }) => ({ removed: state.sessions.delete(id) }), options),
  ];
  return { state, close: () => subscriptions.forEach((subscription) => subscription.unsubscribe()) };
}
