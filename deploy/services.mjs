/**
 * The services of the one image, in start order: the gateway asks the catalog for the admin password
 * as it starts, so the catalog comes first and the gateway last.
 */
export const SERVICES = {
  catalog: 'owns PostgreSQL: destinations, jobs, runs, snapshots, settings',
  scheduler: 'turns job schedules into run requests',
  runner: 'runs backups, restores, checks and prunes through the engine',
  notifier: 'reports runs and overdue jobs by email, HTTP and Telegram',
  gateway: 'the REST API and the web app (the only public door)',
};

export const SERVICE_NAMES = Object.keys(SERVICES);

/** Only these get CAIRN_SECRET_KEY: the catalog seals stored secrets with it, the gateway signs tokens. */
export const SECRET_KEY_SERVICES = ['catalog', 'gateway'];

/** A service's share of an environment meant for the whole stack: the secret key only where it is needed. */
export function serviceEnv(name, env) {
  if (SECRET_KEY_SERVICES.includes(name)) return env;
  const { CAIRN_SECRET_KEY: _withheld, ...rest } = env;
  return rest;
}
