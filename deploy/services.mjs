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

/**
 * Each service is a NATS user of its own (deploy/nats/nats.conf); its password is in this variable
 * of the stack's environment (.env for Compose), handed to that service alone as NATS_PASSWORD.
 */
export function natsPasswordVariable(name) {
  return `NATS_${name.toUpperCase()}_PASSWORD`;
}

/** The environment one service gets: its own NATS user, and no other service's password. */
export function serviceEnv(name, env) {
  const own = env[natsPasswordVariable(name)];
  const others = Object.fromEntries(
    SERVICE_NAMES.map((service) => [natsPasswordVariable(service), undefined]),
  );
  const cleaned = Object.fromEntries(
    Object.entries({ ...env, ...others }).filter(([, value]) => value !== undefined),
  );
  return own ? { ...cleaned, NATS_USER: name, NATS_PASSWORD: own } : cleaned;
}
