#!/usr/bin/env node
// `make dev`: every service as a local process, through the image's own entrypoint, against the
// PostgreSQL already running on this machine and a nats-server of its own with the users and
// permissions of deploy/nats/nats.conf (or the NATS at NATS_URL, when set). Ctrl-C stops them all.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, privateNats } from '../test/support/services.mjs';
import { printLine } from './dev-log.mjs';
import { SERVICE_NAMES } from './services.mjs';
import { startStack } from './stack.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEV = join(ROOT, '.dev');

function say(line) {
  process.stdout.write(`dev       | ${line}\n`);
}

/** Names the services that are not built yet; true when all are there. */
function built() {
  const missing = SERVICE_NAMES.filter(
    (name) => !existsSync(join(ROOT, 'services', name, 'dist', 'src', 'main.js')),
  );
  for (const name of missing) say(`${name}: not built (run make build)`);
  return missing.length === 0;
}

function folder(name) {
  mkdirSync(join(DEV, name), { recursive: true });
  return join(DEV, name);
}

/** One key for every start, so that secrets stored by an earlier start stay readable. */
function secretKey() {
  const file = join(DEV, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The NATS of this start: new passwords every time, the JetStream store kept in .dev/nats. */
async function startNats() {
  if (process.env.NATS_URL) return undefined;
  const nats = await privateNats({ auth: true, storeDir: folder('nats') });
  say(`NATS at ${nats.url}, a user per service (deploy/nats/nats.conf)`);
  return nats;
}

async function environment(nats) {
  // A database of its own: its secrets belong to .dev/secret.key.
  const database = process.env.DATABASE_URL || new URL('/cairn_dev', await databaseUrl()).href;
  return {
    ...(nats ? { NATS_URL: nats.url, ...nats.env } : {}),
    DATABASE_URL: database,
    CAIRN_SECRET_KEY: process.env.CAIRN_SECRET_KEY || secretKey(),
    CAIRN_SOURCE_ROOTS: folder('source'),
    CAIRN_RESTORE_ROOT: folder('restore'),
    CAIRN_CACHE_DIR: folder('cache'),
    // The web app as `make build` left it; the gateway serves the API alone when it is missing.
    CAIRN_UI_DIR: join(ROOT, 'frontend', 'dist', 'browser'),
    ...process.env,
  };
}

async function run() {
  if (!built()) process.exit(1);
  mkdirSync(DEV, { recursive: true });
  const nats = await startNats();
  const env = await environment(nats);
  let stack;
  const stop = async (code) => {
    await stack?.stop();
    await nats?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  try {
    stack = await startStack(env, {
      onLine: (name, line) => printLine(name, SERVICE_NAMES.indexOf(name), line),
      onExit: (name, code, signal) => {
        say(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
        void stop(1);
      },
    });
  } catch (error) {
    await nats?.stop();
    throw error;
  }
  say(`Cairn is running at ${stack.url}`);
  if (stack.password) say(`admin password (printed at this first start only): ${stack.password}`);
  else
    say(
      'admin password: set at the first start (CAIRN_RESET_ADMIN_PASSWORD=true CAIRN_ADMIN_PASSWORD=… resets it)',
    );
  say(`sources: ${env.CAIRN_SOURCE_ROOTS}  restores: ${env.CAIRN_RESTORE_ROOT}  —  Ctrl-C stops everything`);
}

run().catch((error) => {
  say(error.message);
  process.exit(1);
});
