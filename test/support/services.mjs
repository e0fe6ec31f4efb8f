// Resolves the real services tests talk to (DESIGN §7), in this order: the URL an env variable
// names; the service on its standard localhost port; Debian's package installed and started (when
// running as root on Debian); a container from an image already on the Docker Engine, through
// Testcontainers; else one line naming what is missing — never a silent skip.
// `make test` walks the whole order once (setup.mjs) and hands the URLs to every suite in the
// environment; the suites' databaseUrl() and natsUrl() take only the first two steps.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SERVICE_NAMES, natsPasswordVariable } from '../../deploy/services.mjs';
import { startContainer } from './containers.mjs';
import { canInstallPackages, installPackages, missingPackages } from './debian.mjs';

/**
 * The first bytes a server sends after `hello` (null: nothing), or '' when the connection fails
 * or closes first. A port that merely accepts is not enough: Docker's proxy accepts for a container
 * whose server is still starting.
 */
function firstWords(host, port, hello, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let received = '';
    const done = () => {
      socket.destroy();
      resolve(received);
    };
    socket.setTimeout(timeoutMs, done);
    socket.once('connect', () => hello && socket.write(hello));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.length > 0 && (received.includes('\n') || hello)) done();
    });
    socket.once('error', done);
    socket.once('close', done);
  });
}

/** PostgreSQL's SSLRequest: any PostgreSQL answers it with one byte, S or N, before any login. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const POSTGRES = {
  name: 'PostgreSQL',
  variable: 'DATABASE_URL',
  standard: 'postgres://postgres@127.0.0.1:5432/postgres',
  answers: async (host, port) => /^[SN]/.test(await firstWords(host, port, SSL_REQUEST)),
  debian: { package: 'postgresql', start: startDebianPostgres },
  container: {
    variable: 'CAIRN_TEST_POSTGRES_IMAGE',
    image: 'postgres:16',
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
    ready: /ready to accept connections/,
  },
  url: (host, port) => `postgres://postgres@${host}:${port}/postgres`,
};

const NATS = {
  name: 'NATS with JetStream',
  variable: 'NATS_URL',
  standard: 'nats://127.0.0.1:4222',
  // A NATS server greets with INFO {…}; the suites need its JetStream.
  answers: async (host, port) => /^INFO .*"jetstream":true/.test(await firstWords(host, port, null)),
  debian: { package: 'nats-server', start: startDebianNats },
  container: {
    variable: 'CAIRN_TEST_NATS_IMAGE',
    image: 'nats:2',
    port: 4222,
    command: ['-js'],
    ready: /Server is ready/,
  },
  url: (host, port) => `nats://${host}:${port}`,
};

function answersAt(service, url) {
  const { hostname, port } = new URL(url);
  return service.answers(hostname.replace(/^\[|\]$/g, ''), Number(port));
}

async function answersSoon(service, url, timeoutMs = 60_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    if (await answersAt(service, url)) return true;
  }
  return false;
}

/**
 * Finds or provides `service`: { url, how, stop? }. Without `provide` it takes only the env URL
 * and the standard port, as the suites do; `make test`'s set-up provides the rest.
 */
async function resolve(service, { provide = false } = {}) {
  const explicit = process.env[service.variable];
  if (explicit) {
    if (await answersAt(service, explicit)) return { url: explicit, how: `from ${service.variable}` };
    throw new Error(`${service.name} does not answer at ${explicit} (${service.variable})`);
  }
  const { host: standardPlace } = new URL(service.standard);
  if (await answersAt(service, service.standard)) return { url: service.standard, how: 'already running' };
  if (!provide) {
    throw new Error(
      `${service.name} is not running on ${standardPlace}: set ${service.variable}, or run make test once (it installs and starts it)`,
    );
  }
  const tried = [`${service.variable} is not set`, `nothing answers on ${standardPlace}`];
  if (canInstallPackages()) {
    installPackages(missingPackages([service.debian.package]));
    service.debian.start();
    if (await answersSoon(service, service.standard)) {
      return { url: service.standard, how: `started from Debian's ${service.debian.package}` };
    }
    tried.push(`Debian's ${service.debian.package} did not start on ${standardPlace}`);
  } else {
    tried.push(`Debian's ${service.debian.package} cannot be installed (not root on Debian)`);
  }
  const container = await containerOf(service);
  if (container.url) return container;
  tried.push(container.reason);
  throw new Error(`${service.name} is missing: ${tried.join('; ')}`);
}

/** The service in a container from its local image (CAIRN_TEST_…_IMAGE): { url, how, stop } or { reason }. */
async function containerOf(service) {
  const { variable, image: fallback, ...options } = service.container;
  const image = process.env[variable] || fallback;
  const started = await startContainer({ image, imageVariable: variable, ...options });
  if (started.reason) return started;
  const url = service.url(started.host, started.port);
  if (!(await answersSoon(service, url))) {
    await started.stop();
    return { reason: `the container of ${image} started but ${service.name} did not answer` };
  }
  return { url, how: `in a container of ${image} (Testcontainers)`, stop: started.stop };
}

function startDebianPostgres() {
  const cluster = readdirSync('/etc/postgresql')
    .sort((a, b) => Number(a) - Number(b))
    .at(-1);
  // Trust on loopback, as the tests expect on this project's machines (and nothing beyond it).
  const hba = `/etc/postgresql/${cluster}/main/pg_hba.conf`;
  const rules = readFileSync(hba, 'utf8');
  if (!/^host all all 127\.0\.0\.1\/32 trust$/m.test(rules)) {
    writeFileSync(hba, `host all all 127.0.0.1/32 trust\n${rules}`);
  }
  // Start, or reload the rules of a cluster that is already running.
  const control = (action) =>
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', action], { stdio: 'ignore' });
  if (control('start').status !== 0) control('reload');
}

function startDebianNats() {
  const store = '/var/lib/nats-server';
  mkdirSync(store, { recursive: true });
  const log = openSync('/var/log/nats-server.log', 'a');
  // Detached: the server stays up for later runs, like the PostgreSQL cluster.
  spawn('/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', store], {
    detached: true,
    stdio: ['ignore', log, log],
  }).unref();
}

/**
 * For `make test`'s set-up: PostgreSQL and NATS found or provided, the environment that points the
 * suites at them, what was done (one line each) and a stop() for any container started.
 */
export async function provideServices() {
  const found = [];
  try {
    for (const service of [POSTGRES, NATS]) found.push([service, await resolve(service, { provide: true })]);
  } catch (error) {
    await Promise.all(found.map(([, { stop }]) => stop?.()));
    throw error;
  }
  return {
    env: Object.fromEntries(found.map(([service, { url }]) => [service.variable, url])),
    lines: found.map(([service, { url, how }]) => `${service.name}: ${url} (${how})`),
    stop: () => Promise.all(found.map(([, { stop }]) => stop?.())),
  };
}

/** NATS with JetStream. */
export async function natsUrl() {
  return (await resolve(NATS)).url;
}

/** PostgreSQL; tests create their own databases in it. */
export async function databaseUrl() {
  return (await resolve(POSTGRES)).url;
}

const NATS_CONFIG = fileURLToPath(new URL('../../deploy/nats/', import.meta.url));

/**
 * A NATS server of the suite's own, with JetStream, on a free loopback port: services answer fixed
 * subjects, so suites that run at the same time must not share a server. Debian's nats-server when
 * it is installed, else a container of the NATS image; returns its URL and a function that stops it.
 *
 * Without options nobody needs a password. `auth: true` starts it with deploy/nats/nats.conf and a
 * new random password per service: `env` holds them as the stack reads them (NATS_<SERVICE>_PASSWORD)
 * and `passwords` by service name. `tls: { cert, key }` (implies auth) makes it TLS only, with
 * deploy/nats/tls.conf. `storeDir` keeps JetStream's files there (and leaves them on stop). `port`: that
 * one rather than a free one (for a server that appears where a service has been trying to reach it).
 */
export async function privateNats({ auth = false, tls, storeDir, port: wanted } = {}) {
  if (!commandExists('nats-server')) {
    if (auth || tls || storeDir || wanted)
      throw new Error(
        "a NATS server with the stack's users needs Debian's nats-server (make test installs it as root)",
      );
    const container = await containerOf(NATS);
    if (container.url) return { env: {}, passwords: {}, log: () => '', ...container };
    throw new Error(`cannot start a NATS server: nats-server is not installed, and ${container.reason}`);
  }
  const port = wanted ?? (await freePort());
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
  const url = `nats://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (!(await Promise.race([answersSoon(NATS, url, 20_000), exited.then(() => false)]))) {
    child.kill('SIGTERM');
    if (!storeDir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`nats-server did not start on port ${port}:\n${log}`);
  }
  return {
    url,
    env,
    passwords,
    /** What the server logged last (permission violations, for example). */
    log: () => log,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      if (!storeDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function commandExists(name) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, name)));
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
