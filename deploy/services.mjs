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

/** Services of a Kubernetes cluster only: the chart runs them, Compose has no cluster for them. */
export const CLUSTER_SERVICES = {
  'volume-controller': 'backs up the PVCs annotated cairn.io/backup (Kubernetes)',
};

/** Only these get CAIRN_SECRET_KEY: the catalog seals stored secrets with it, the gateway signs tokens. */
export const SECRET_KEY_SERVICES = ['catalog', 'gateway'];

/**
 * Each service is a NATS user of its own (deploy/nats/nats.conf); its password is in this variable
 * of the stack's environment (.env for Compose), handed to that service alone as NATS_PASSWORD.
 */
export function natsPasswordVariable(name) {
  return `NATS_${name.toUpperCase()}_PASSWORD`;
}

/**
 * A service's share of an environment meant for the whole stack: its own NATS user and no other
 * service's password, and the secret key only where it is needed.
 */
export function serviceEnv(name, env) {
  const own = env[natsPasswordVariable(name)];
  const withheld = [
    ...SERVICE_NAMES.map(natsPasswordVariable),
    ...(SECRET_KEY_SERVICES.includes(name) ? [] : ['CAIRN_SECRET_KEY']),
  ];
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && !withheld.includes(key)),
  );
  return own ? { ...cleaned, NATS_USER: name, NATS_PASSWORD: own } : cleaned;
}
