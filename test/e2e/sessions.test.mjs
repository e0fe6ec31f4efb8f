// Sign-in sessions against the real catalog and PostgreSQL (issue 11, item 10): a logged-out or used
// refresh token stays refused after the gateway process restarts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { API, send } from '@cairn/contracts';
import { startStack } from '../../deploy/stack.mjs';
import { makeTempDir, removeDir } from '../support/fs-tree.mjs';
import { databaseUrl, freePort, privateNats } from '../support/services.mjs';

const PASSWORD = `admin-${randomBytes(6).toString('hex')}`;

describe('sign-in sessions across a gateway restart', () => {
  let dir, nats, stack;

  before(async () => {
    dir = await makeTempDir('sessions');
    nats = await privateNats();
    stack = await startStack(
      {
        PATH: process.env.PATH,
        HOME: dir,
        NATS_URL: nats.url,
        DATABASE_URL: new URL(`/cairn_sessions_${randomBytes(4).toString('hex')}`, await databaseUrl()).href,
        CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
        CAIRN_ADMIN_PASSWORD: PASSWORD,
        CAIRN_PORT: String(await freePort()),
        CAIRN_SOURCE_ROOTS: dir,
        CAIRN_RESTORE_ROOT: dir,
        CAIRN_CACHE_DIR: dir,
        CAIRN_LOG_LEVEL: 'info',
      },
      { runners: 1, schedulers: 1 },
    );
  });

  after(async () => {
    await stack?.stop();
    await nats?.stop();
    if (dir) await removeDir(dir);
  });

  const post = (name, { cookie, body } = {}) =>
    send(stack.url, API.auth[name], { body }, { headers: cookie ? { cookie } : {} });
  const cookieOf = (response) => response.headers.get('set-cookie').split(';')[0];
  const signIn = async () => {
    const response = await post('login', { body: { password: PASSWORD } });
    assert.equal(response.status, 200);
    return cookieOf(response);
  };
  const restartGateway = async () => {
    const [gateway] = stack.running('gateway');
    gateway.kill('SIGTERM');
    await once(gateway, 'exit');
    const next = stack.start('gateway');
    await stack.waitHealthy('gateway', next);
  };

  test('logged out, renewed and still-open sessions keep their state through a restart', async () => {
    const loggedOut = await signIn();
    assert.equal((await post('logout', { cookie: loggedOut })).status, 204);

    const used = await signIn();
    const renewed = await post('refresh', { cookie: used });
    assert.equal(renewed.status, 200);
    const current = cookieOf(renewed);

    const open = await signIn();

    await restartGateway();

    assert.equal((await post('refresh', { cookie: loggedOut })).status, 401, 'logged out stays out');
    assert.equal((await post('refresh', { cookie: used })).status, 401, 'a used token stays used');
    assert.equal((await post('refresh', { cookie: current })).status, 401, 'and its reuse ended the session');
    assert.equal((await post('refresh', { cookie: open })).status, 200, 'an open session goes on');
    assert.ok(
      stack.lines.some(({ service, line }) => service === 'catalog' && line.includes('used refresh token')),
      'the catalog logged the reuse',
    );
  });
});
