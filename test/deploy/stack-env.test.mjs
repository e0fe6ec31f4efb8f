// `make dev` and the end-to-end stack start every service from one environment: only the catalog and
// the gateway may find CAIRN_SECRET_KEY in theirs (issue 11, item 14).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SECRET_KEY_SERVICES, SERVICE_NAMES, serviceEnv } from '../../deploy/services.mjs';
import { Stack } from '../../deploy/stack.mjs';
import { privateNats } from '../support/services.mjs';

const KEY = 'cd'.repeat(32);
let nats;
let dir;
let stack;

/** The environment a running process was started with, as the kernel keeps it. */
function environmentOf(pid) {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
}

before(async () => {
  nats = await privateNats();
  dir = mkdtempSync(join(tmpdir(), 'cairn-stack-env-'));
  stack = new Stack({
    PATH: process.env.PATH,
    NATS_URL: nats.url,
    CAIRN_SECRET_KEY: KEY,
    CAIRN_SOURCE_ROOTS: dir,
    CAIRN_RESTORE_ROOT: dir,
    CAIRN_LOG_LEVEL: 'warn',
  });
});

after(async () => {
  await stack?.stop();
  await nats?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('runner, scheduler and notifier processes start without CAIRN_SECRET_KEY', async () => {
  const workers = SERVICE_NAMES.filter((name) => !SECRET_KEY_SERVICES.includes(name));
  assert.deepEqual(workers, ['scheduler', 'runner', 'notifier']);
  for (const name of workers) {
    const child = stack.start(name);
    await once(child, 'spawn');
    const environment = environmentOf(child.pid);
    assert.ok(environment.includes(`NATS_URL=${nats.url}`), `${name} got the stack's environment`);
    assert.ok(
      !environment.some((entry) => entry.startsWith('CAIRN_SECRET_KEY=') || entry.includes(KEY)),
      `${name} was given CAIRN_SECRET_KEY`,
    );
  }
});

test('the catalog and the gateway keep CAIRN_SECRET_KEY', () => {
  for (const name of ['catalog', 'gateway']) {
    assert.equal(serviceEnv(name, { CAIRN_SECRET_KEY: KEY, NATS_URL: nats.url }).CAIRN_SECRET_KEY, KEY);
  }
  assert.equal(serviceEnv('runner', { CAIRN_SECRET_KEY: KEY }).CAIRN_SECRET_KEY, undefined);
});
