import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import {
  connectNats,
  createLogger,
  pathOf,
  ROUTES,
  serverSentEvents,
  SUBJECTS,
  type NatsConnection,
} from '@cairn/contracts';
import { AppModule } from '../src/app.module.js';
import { gatewayConfig } from '../src/config.js';
import { main, type RunningGateway } from '../src/main.js';
import { standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

const PASSWORD = 'correct horse battery';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('gateway', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;
  let gateway: RunningGateway;
  let blocker: Server;
  const basePort = 20000 + Math.floor(Math.random() * 20000);

  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'gateway-test');
    catalog = standInCatalog(nc);
    // The first port is taken: the gateway must move to the next one.
    blocker = createServer().listen(basePort, '127.0.0.1');
    await new Promise((resolve) => blocker.once('listening', resolve));
    gateway = await main(
      {
        NATS_URL: nats.url,
        CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
        CAIRN_ADMIN_PASSWORD: PASSWORD,
        CAIRN_ALLOWED_HOSTS: 'nas.example',
        CAIRN_LOG_LEVEL: 'fatal',
        CAIRN_METRICS_PORT: '0',
      },
      basePort,
    );
  });

  after(async () => {
    await gateway?.close();
    blocker?.close();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
  });

  const call = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${gateway.url}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  const login = async (password = PASSWORD) =>
    call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ password }) });

  test('moves to the next port when the first is taken, and listens on loopback', () => {
    assert.equal(gateway.url, `http://127.0.0.1:${basePort + 100}`);
  });

  test('the preset admin password is stored as an argon2id hash', () => {
    assert.match(catalog.state.passwordHash!, /^\$argon2id\$v=19\$m=65536,t=3,p=1\$/);
    assert.ok(!catalog.state.passwordHash!.includes(PASSWORD));
  });

  test('sign in, use the token, refresh with the cookie, sign out', async () => {
    const response = await login();
    assert.equal(response.status, 200);
    const { accessToken, expiresIn } = (await response.json()) as { accessToken: string; expiresIn: number };
    assert.equal(expiresIn, 900);
    const cookie = response.headers.get('set-cookie')!;
    assert.match(cookie, /cairn_refresh=.+; Max-Age=\d+; Path=\/api\/v1\/auth; .*HttpOnly; SameSite=Strict/i);
    assert.equal((await call('/api/v1/jobs', { token: accessToken })).status, 200);

    const refreshed = await call('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0]! },
    });
    assert.equal(refreshed.status, 200);
    const again = await call('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0]! },
    });
    assert.equal(again.status, 401, 'a refresh token is used once');
    assert.equal((await call('/api/v1/auth/refresh', { method: 'POST' })).status, 401);
  });

  test("the activity stream carries every run's progress, starts and ends, in one connection", async () => {
    const { accessToken } = (await (await login()).json()) as { accessToken: string };
    const response = await call('/api/v1/activity', { token: accessToken });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/event-stream/);
    const [first, second] = [randomUUID(), randomUUID()];
    const progress = (runId: string) => ({ runId, phase: 'backup', filesDone: 1, filesTotal: 2 });
    // Until the stream shows it: the gateway subscribes some time after the response began.
    const publishing = setInterval(
      () => nc.publish(SUBJECTS.runProgress(first), JSON.stringify(progress(first))),
      50,
    );
    const seen: { type: string; data: unknown }[] = [];
    try {
      for await (const event of serverSentEvents(response.body!)) {
        seen.push(event);
        if (seen.length === 1) {
          clearInterval(publishing);
          nc.publish(SUBJECTS.runStarted, JSON.stringify({ runId: second, jobId: first }));
          nc.publish(SUBJECTS.runProgress(second), JSON.stringify(progress(second)));
          nc.publish(SUBJECTS.runFinished, JSON.stringify({ runId: second, status: 'succeeded' }));
        }
        if (event.type === 'finished') break;
      }
    } finally {
      clearInterval(publishing);
    }
    assert.deepEqual(seen.at(0), { type: 'progress', data: progress(first) });
    assert.deepEqual(
      seen.slice(-3).map(({ type, data }) => [type, (data as { runId: string }).runId]),
      [
        ['started', second],
        ['progress', second],
        ['finished', second],
      ],
    );
  });

  test('the router serves exactly the declared routes: none missing, none undeclared', async () => {
    const app = await NestFactory.create(
      AppModule.with(
        gatewayConfig({ NATS_URL: nats.url, CAIRN_SECRET_KEY: randomBytes(32).toString('hex') }),
        nc,
        createLogger('gateway', 'fatal'),
      ),
      { logger: false },
    );
    await app.init();
    const router = (app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } }).router;
    const served = router.stack.flatMap(({ route }) =>
      route ? Object.keys(route.methods).map((method) => `${method.toUpperCase()} ${route.path}`) : [],
    );
    await app.close();
    assert.deepEqual(served.toSorted(), ROUTES.map(({ method, path }) => `${method} ${path}`).toSorted());
  });

  test('every declared route but the public ones needs a token', async () => {
    const guarded = ROUTES.filter((route) => !route.public);
    assert.ok(guarded.length >= 40, `${guarded.length} routes`);
    for (const route of guarded) {
      // Any value: the token is checked before the input, and an unmatched path would be a 404.
      const params = Object.fromEntries(Object.keys(route.params?.shape ?? {}).map((name) => [name, 'x']));
      const path = pathOf(route, params);
      const response = await call(path, { method: route.method, ...(route.body ? { body: '{}' } : {}) });
      assert.equal(response.status, 401, `${route.method} ${path}`);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthorized');
    }
    assert.equal((await call('/api/v1/jobs', { token: 'forged.token.value' })).status, 401);
    assert.deepEqual(
      ROUTES.filter((route) => route.public).map(({ path }) => path),
      ['/api/v1/auth/login', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/health', '/api/docs'],
    );
    assert.equal((await call('/api/v1/health')).status, 200);
    assert.equal((await call('/api/docs')).status, 200);
  });

  test('invalid input is a 400 naming the field', async () => {
    const { accessToken } = (await (await login()).json()) as { accessToken: string };
    const response = await call('/api/v1/jobs', {
      method: 'POST',
      token: accessToken,
      body: JSON.stringify({ name: 'x', sources: ['relative/path'] }),
    });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as { error: { field: string; message: string } };
    assert.equal(error.field, 'sources.0');

    const backupWithVerify = await call('/api/v1/jobs/4d7c4a84-5f8e-4a55-9a34-1c2e5b0b7f10/run', {
      method: 'POST',
      token: accessToken,
      body: JSON.stringify({ kind: 'backup', verify: { readDataSubset: 0.5 } }),
    });
    assert.equal(backupWithVerify.status, 400);
    const refused = (await backupWithVerify.json()) as { error: { field: string; message: string } };
    assert.equal(refused.error.field, 'verify');
    assert.match(refused.error.message, /only for a verify run/);
  });

  test('a run history filter the server does not know is a 400 repeating the value', async () => {
    const { accessToken } = (await (await login()).json()) as { accessToken: string };
    for (const [filter, message] of [
      ['status=done', /^status: "done" is not a run status: one of queued, running, succeeded/],
      ['kind=backups', /^kind: "backups" is not a run kind: one of backup, restore, verify/],
      ['offset=-1', /^offset: /],
    ] as const) {
      const response = await call(`/api/v1/runs?${filter}`, { token: accessToken });
      assert.equal(response.status, 400, filter);
      const { error } = (await response.json()) as { error: { field: string; message: string } };
      assert.equal(error.field, filter.split('=')[0]);
      assert.match(error.message, message);
    }
  });

  test('a passphrase of the weakest kind is a 400 naming the field, in words', async () => {
    const { accessToken } = (await (await login()).json()) as { accessToken: string };
    for (const passphrase of [' '.repeat(16), 'password', 'Password1!']) {
      const response = await call('/api/v1/jobs', {
        method: 'POST',
        token: accessToken,
        body: JSON.stringify({
          name: 'weak',
          sources: ['/srv/data'],
          destinationId: '00000000-0000-4000-8000-000000000000',
          passphrase,
        }),
      });
      assert.equal(response.status, 400, JSON.stringify(passphrase));
      const { error } = (await response.json()) as { error: { field: string; message: string } };
      assert.equal(error.field, 'passphrase');
      assert.match(
        error.message,
        /^passphrase: (The passphrase cannot be only spaces|This passphrase is among)/,
      );
    }
  });

  test('a Host header that is neither an IP nor an allowed name is refused', async () => {
    const { request } = await import('node:http');
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${gateway.url}/api/v1/health`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('evil.example'), 403);
    assert.equal(await status('nas.example:8200'), 200);
    assert.equal(await status('localhost'), 200);
    assert.equal(await status('192.168.1.20:8200'), 200);
  });

  test('health reports NATS and catalog reachability; the API is described at /api/docs', async () => {
    assert.deepEqual(await (await call('/api/v1/health')).json(), {
      status: 'ok',
      nats: true,
      catalog: true,
    });
    const docs = (await (await call('/api/docs')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown> | undefined>;
    };
    assert.equal(docs.openapi, '3.1.0');
    assert.ok(docs.paths['/api/v1/jobs/{id}/run']);
    for (const { method, path } of ROUTES)
      assert.ok(docs.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()], `${method} ${path}`);
  });

  test('changing the password invalidates every token issued before', async () => {
    const { accessToken } = (await (await login()).json()) as { accessToken: string };
    const wrong = await call('/api/v1/auth/password', {
      method: 'POST',
      token: accessToken,
      body: JSON.stringify({ current: 'nope', next: 'another password' }),
    });
    assert.equal(wrong.status, 400);
    const changed = await call('/api/v1/auth/password', {
      method: 'POST',
      token: accessToken,
      body: JSON.stringify({ current: PASSWORD, next: 'another password' }),
    });
    assert.equal(changed.status, 200);
    const { accessToken: fresh } = (await changed.json()) as { accessToken: string };
    assert.equal((await call('/api/v1/jobs', { token: accessToken })).status, 401);
    assert.equal((await call('/api/v1/jobs', { token: fresh })).status, 200);
    assert.equal((await login('another password')).status, 200);
    await call('/api/v1/auth/password', {
      method: 'POST',
      token: fresh,
      body: JSON.stringify({ current: 'another password', next: PASSWORD }),
    });
  });

  test('sign-in is rate limited: the sixth wrong password within a minute is refused with Retry-After', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login('wrong')).status, 401);
    const limited = await login('wrong');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal((await login()).status, 429, 'even the right password waits');
  });
});
