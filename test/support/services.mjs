// Resolves the real services tests talk to (DESIGN §7): an explicit env URL, else the service on its
// standard localhost port. A service that cannot be reached fails the suite with a clear message —
// never a silent skip. (Testcontainers would come third where a Docker engine exists; none does here.)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, natsPasswordVariable } from '../../deploy/services.mjs';

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

const NATS_CONFIG = fileURLToPath(new URL('../../deploy/nats/', import.meta.url));

/**
 * A NATS server of the suite's own, with JetStream, on a free loopback port: services answer fixed
 * subjects, so suites that run at the same time must not share a server. Needs Debian's nats-server
 * (.ci/run installs it); returns its URL and a function that stops it.
 *
 * Without options nobody needs a password. `auth: true` starts it with deploy/nats/nats.conf and a
 * new random password per service: `env` holds them as the stack reads them (NATS_<SERVICE>_PASSWORD)
 * and `passwords` by service name. `tls: { cert, key }` (implies auth) makes it TLS only, with
 * deploy/nats/tls.conf. `storeDir` keeps JetStream's files there (and leaves them on stop).
 */
export async function privateNats({ auth = false, tls, storeDir } = {}) {
  const port = await freePort();
  const dir = storeDir ?? mkdtempSync(join(tmpdir(), 'cairn-nats-'));
  const passwords =
    auth || tls
      ? Object.fromEntries(SERVICE_NAMES.map((name) => [name, randomBytes(18).toString('hex')]))
      : {};
  const env = Object.fromEntries(
    Object.entries(passwords).map(([name, password]) => [natsPasswordVariable(name), password]),
  );
  const args = ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir];
  if (auth || tls) args.unshift('-c', join(NATS_CONFIG, tls ? 'tls.conf' : 'nats.conf'));
  const serverEnv = {
    ...process.env,
    // Quoted, as docker-compose.yml does: nats-server reads a bare 123456 as a number.
    ...Object.fromEntries(Object.entries(env).map(([name, value]) => [name, `"${value}"`])),
    ...(tls ? { NATS_SERVER_CERT: tls.cert, NATS_SERVER_KEY: tls.key } : {}),
  };
  const child = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (text) => (log = (log + text).slice(-20_000)));
  const failed = new Promise((_, reject) => {
    child.once('error', (error) =>
      reject(new Error(`cannot start nats-server (install Debian's nats-server): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`nats-server exited (code ${code}):\n${log}`)));
  });
  const started = (async () => {
    for (let i = 0; i < 100 && !(await reachable('127.0.0.1', port, 200)); i++)
      await new Promise((r) => setTimeout(r, 50));
    if (!(await reachable('127.0.0.1', port))) throw new Error(`nats-server did not start on port ${port}`);
  })();
  await Promise.race([started, failed]);
  failed.catch(() => undefined);
  return {
    url: `nats://127.0.0.1:${port}`,
    env,
    passwords,
    /** What the server logged last (permission violations, for example). */
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      if (!storeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
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
