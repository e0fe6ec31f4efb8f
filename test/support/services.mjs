// Resolves the real services tests talk to (DESIGN §7): an explicit env URL, else the service on its
// standard localhost port. A service that cannot be reached fails the suite with a clear message —
// never a silent skip. (Testcontainers would come third where a Docker engine exists; none does here.)
import { connect } from 'node:net';

function reachable(host, port, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function resolveService(name, variable, fallback, hint) {
  const url = process.env[variable] || fallback;
  const { hostname, port } = new URL(url);
  if (await reachable(hostname, Number(port))) return url;
  throw new Error(`${name} is not reachable at ${url}: set ${variable}, or ${hint} (.ci/run starts it)`);
}

/** NATS with JetStream. */
export function natsUrl() {
  return resolveService(
    'NATS',
    'NATS_URL',
    'nats://127.0.0.1:4222',
    'start nats-server -js on 127.0.0.1:4222',
  );
}

/** PostgreSQL; tests create their own databases in it. */
export function databaseUrl() {
  return resolveService(
    'PostgreSQL',
    'DATABASE_URL',
    'postgres://postgres@127.0.0.1:5432/postgres',
    'start PostgreSQL on 127.0.0.1:5432',
  );
}
