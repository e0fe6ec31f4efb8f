#!/usr/bin/env node
// `make dev`: every service as a local process, through the image's own entrypoint, against the
// PostgreSQL and NATS already running on this machine. Ctrl-C stops them all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrl, natsUrl } from '../test/support/services.mjs';
import { prefixLines } from './dev-log.mjs';
import { checkHealth, gatewayHealth } from './health.mjs';
import { SERVICE_NAMES } from './services.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEV = join(ROOT, '.dev');
const SERVER = join(ROOT, 'deploy', 'cairn-server.mjs');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
/** Without these nothing works; a missing scheduler or runner only means nothing runs. */
const REQUIRED = new Set(['catalog', 'gateway']);

const children = new Map();
let stopping = false;

function say(line) {
  process.stdout.write(`dev       | ${line}\n`);
}

function quit(line) {
  say(line);
  return stopAll(1);
}

/** Services whose code is missing are reported, not started; undefined when a required one is. */
function available() {
  const missing = (name) => {
    const dir = join(ROOT, 'services', name);
    if (!existsSync(join(dir, 'src', 'main.ts'))) return `not written yet (no services/${name}/src/main.ts)`;
    if (!existsSync(join(dir, 'dist', 'src', 'main.js'))) return 'not built (run make build)';
    return undefined;
  };
  const problems = new Map(
    SERVICE_NAMES.map((name) => [name, missing(name)]).filter(([, problem]) => problem),
  );
  for (const [name, problem] of problems) say(`${name}: ${problem}`);
  if ([...REQUIRED].some((name) => problems.has(name))) return undefined;
  return SERVICE_NAMES.filter((name) => !problems.has(name));
}

/** One key for every start, so that secrets stored by an earlier start stay readable. */
function secretKey() {
  const file = join(DEV, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function environment() {
  mkdirSync(DEV, { recursive: true });
  const folders = Object.fromEntries(
    ['source', 'restore', 'cache'].map((name) => {
      mkdirSync(join(DEV, name), { recursive: true });
      return [name, join(DEV, name)];
    }),
  );
  const nats = await natsUrl();
  // A database of its own: its secrets belong to .dev/secret.key.
  const database = process.env.DATABASE_URL || new URL('/cairn_dev', await databaseUrl()).href;
  return {
    NATS_URL: nats,
    DATABASE_URL: database,
    CAIRN_SECRET_KEY: process.env.CAIRN_SECRET_KEY || secretKey(),
    CAIRN_SOURCE_ROOTS: folders.source,
    CAIRN_RESTORE_ROOT: folders.restore,
    CAIRN_CACHE_DIR: folders.cache,
    ...process.env,
  };
}

function start(name, env, onLine) {
  const child = spawn(process.execPath, [SERVER, name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches this script alone, which stops each service once.
    detached: true,
  });
  children.set(name, child);
  const index = SERVICE_NAMES.indexOf(name);
  prefixLines(child.stdout, name, index, onLine);
  prefixLines(child.stderr, name, index, onLine);
  child.once('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) void quit(`${name} exited (${signal ?? `code ${code}`}); stopping the others`);
  });
  return child;
}

/** Retries `probe` until it resolves; fails when the service exits or time runs out. */
async function waitFor(name, probe) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last;
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name} exited while starting`);
    try {
      return await probe();
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`${name} did not answer within ${START_TIMEOUT_MS / 1000} s: ${last?.message}`);
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const running = [...children.values()];
  for (const child of running) child.kill('SIGTERM');
  const killer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), STOP_TIMEOUT_MS);
  await Promise.all(running.map((child) => child.exitCode ?? new Promise((r) => child.once('exit', r))));
  clearTimeout(killer);
  process.exit(code);
}

async function run() {
  const names = available();
  if (!names) return quit('cannot start without the catalog and the gateway');
  const env = await environment();
  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));
  // If this script dies anyway, its services must not outlive it.
  process.once('exit', () => children.forEach((child) => child.kill('SIGKILL')));

  start('catalog', env);
  await waitFor('catalog', () => checkHealth('catalog', env));
  const workers = names.filter((name) => name !== 'catalog' && name !== 'gateway');
  for (const name of workers) start(name, env);

  let url;
  let password;
  start('gateway', env, (line) => {
    password ??= /first start: the admin password is (\S+)/.exec(line)?.[1];
    url ??= /"msg":"gateway listening"/.test(line) ? JSON.parse(line).url : undefined;
  });
  await Promise.all([
    ...workers.map((name) => waitFor(name, () => checkHealth(name, env))),
    waitFor('gateway', () => (url ? gatewayHealth(url) : Promise.reject(new Error('not listening yet')))),
  ]);

  say(`Cairn is running at ${url}`);
  if (password) say(`admin password (printed at this first start only): ${password}`);
  else if (env.CAIRN_ADMIN_PASSWORD) say('admin password: the one in CAIRN_ADMIN_PASSWORD');
  else say('admin password: printed at the first start (CAIRN_ADMIN_PASSWORD=… make dev sets a new one)');
  say(`sources: ${env.CAIRN_SOURCE_ROOTS}  restores: ${env.CAIRN_RESTORE_ROOT}  —  Ctrl-C stops everything`);
}

run().catch((error) => quit(error.message));
