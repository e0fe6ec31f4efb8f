// Resolves the real services tests talk to (DESIGN §7): an explicit env URL, else the service on its
// standard localhost port. A service that cannot be reached fails the suite with a clear message —
// never a silent skip. (Testcontainers would come third where a Docker engine exists; none does here.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * A NATS server of the suite's own, with JetStream, on a free loopback port: services answer fixed
 * subjects, so suites that run at the same time must not share a server. Needs Debian's nats-server
 * (.ci/run installs it); returns its URL and a function that stops it.
 */
export async function privateNats() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-nats-'));
  const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], {
    stdio: 'ignore',
  });
  const failed = new Promise((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`cannot start nats-server (install Debian's nats-server): ${error.message}`)),
    ),
  );
  const started = (async () => {
    for (let i = 0; i < 100 && !(await reachable('127.0.0.1', port, 200)); i++)
      await new Promise((r) => setTimeout(r, 50));
    if (!(await reachable('127.0.0.1', port))) throw new Error(`nats-server did not start on port ${port}`);
  })();
  await Promise.race([started, failed]);
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      rmSync(dir, { recursive: true, force: true });
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
