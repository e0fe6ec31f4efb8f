import { CATALOG, NOTIFIER, RUNNER, SCHEDULER, type Endpoint } from './endpoints.js';

/**
 * What each NATS service is asked to count as healthy: a question its clients ask, so "healthy"
 * means "answers", not merely "the process is up". Used by container health checks and the
 * gateway's about page.
 */
export const HEALTH_PROBES: Record<'catalog' | 'scheduler' | 'runner' | 'notifier', [Endpoint, object]> = {
  catalog: [CATALOG.settings.get, {}],
  scheduler: [SCHEDULER.status, {}],
  // Any runner replica may answer (they share a queue group): its folders are there and it may read
  // and write them as the user it runs as.
  runner: [RUNNER.health, {}],
  notifier: [NOTIFIER.status, {}],
};
