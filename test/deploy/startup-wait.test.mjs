// Services started before NATS and PostgreSQL, as after a NAS reboot (every container at once,
// whatever depends_on says): they keep trying, logging each attempt, and come up when those appear;
// they exit with one line when they never do, and at once when the answer is a refusal.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { Stack } from '../../deploy/stack.mjs';
import { startFaultProxy } from '../support/fault-proxy.mjs';
import { databaseUrl, freePort, privateNats } from '../support/services.mjs';
import { cairnServer } from './project.mjs';

// Never checked (PostgreSQL trusts loopback here), so it shows whether any log line leaks one.
const DB_PASSWORD = `never-logged-${randomBytes(6).toString('hex')}`;
const SECRET_KEY = randomBytes(32).toString('hex');

/** Resolves with the parsed log line once `service` has written one that matches; rejects if it ends. */
async function logLine(stack, service, pattern, timeoutMs = 60_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const found = stack.lines.find((entry) => entry.service === service && pattern.test(entry.line));
    if (found) return JSON.parse(found.line);
    if (stack.running(service).length === 0) throw new Error(`${service} ended:\n${stack.log(service)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${service} never logged ${pattern}:\n${stack.log(service)}`);
}

const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

describe('a catalog and a gateway started before NATS and PostgreSQL', () => {
  let stack, nats, proxy, database;

  after(async () => {
    await stack?.stop();
    await Promise.all([nats?.stop(), proxy?.stop()]);
    if (database) {
      const admin = new pg.Client({ connectionString: await databaseUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)}`);
      await admin.end();
    }
  });

  test('wait for them, saying what is unreachable, and come up once they appear', async () => {
    const postgres = new URL(await databaseUrl());
    const [natsPort, postgresPort, gatewayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    database = `cairn_startup_${randomBytes(4).toString('hex')}`;
    const natsUrl = `nats://127.0.0.1:${natsPort}`;
    const shownDatabase = `postgres://postgres:***@127.0.0.1:${postgresPort}/${database}`;
    stack = new Stack({
      PATH: process.env.PATH,
      NATS_URL: natsUrl,
      DATABASE_URL: `postgres://postgres:${DB_PASSWORD}@127.0.0.1:${postgresPort}/${database}`,
      CAIRN_SECRET_KEY: SECRET_KEY,
      CAIRN_PORT: String(gatewayPort),
      CAIRN_ADMIN_PASSWORD: `admin-${randomBytes(6).toString('hex')}`,
      CAIRN_STARTUP_WAIT_MS: '600000',
    });
    const catalog = stack.start('catalog');
    const gateway = stack.start('gateway');
    const unreachable = (what) => new RegExp(`"msg":"${escaped(what)} is unreachable; trying again"`);

    // Nothing listens yet: the catalog waits for its database, the gateway for NATS.
    await logLine(stack, 'catalog', /"attempt":2,/);
    const first = await logLine(stack, 'catalog', unreachable(`the catalog database at ${shownDatabase}`));
    assert.equal(first.level, 40);
    assert.match(first.reason, /ECONNREFUSED/);
    assert.match(first.time, /^\d{4}-\d\d-\d\dT/);
    await logLine(stack, 'gateway', unreachable(`NATS at ${natsUrl}`));

    // NATS appears: the gateway gets past it and waits for the catalog, which still has no database.
    nats = await privateNats({ port: natsPort });
    await logLine(stack, 'gateway', unreachable('the catalog'));

    // PostgreSQL appears where the catalog has been trying (the real one, through a proxy).
    proxy = await startFaultProxy({ port: Number(postgres.port), listenPort: postgresPort });
    await stack.waitHealthy('catalog', catalog);
    await stack.waitHealthy('gateway', gateway);

    const attempts = stack.lines
      .filter(({ service, line }) => service === 'catalog' && line.includes('database at'))
      .map(({ line }) => JSON.parse(line).attempt);
    assert.deepEqual(
      attempts,
      attempts.map((_, i) => i + 1),
      'one line per attempt',
    );
    assert.ok(
      stack.lines.every(({ line }) => !line.includes(DB_PASSWORD)),
      'no log line holds the password',
    );
  });
});

describe('a service whose dependencies never appear', () => {
  test('exits non-zero with one line naming what it waited for, and for how long', async () => {
    const closed = await freePort();
    const catalog = await cairnServer(['catalog'], {
      PATH: process.env.PATH,
      DATABASE_URL: `postgres://postgres:${DB_PASSWORD}@127.0.0.1:${closed}/cairn`,
      CAIRN_SECRET_KEY: SECRET_KEY,
      CAIRN_STARTUP_WAIT_MS: '2000',
    });
    assert.equal(catalog.code, 1, catalog.stderr);
    assert.equal(catalog.stderr.trim().split('\n').length, 1, catalog.stderr);
    assert.match(
      catalog.stderr,
      new RegExp(
        `^cairn-server: catalog: cannot open the catalog database at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${closed}/cairn: ` +
          'still unreachable after \\d+ attempts in 2 s \\(CAIRN_STARTUP_WAIT_MS\\): connect ECONNREFUSED',
      ),
    );
    assert.match(catalog.stdout, /"attempt":2,/, 'it tried again before giving up');
    assert.ok(!`${catalog.stdout}${catalog.stderr}`.includes(DB_PASSWORD));

    const gateway = await cairnServer(['gateway'], {
      PATH: process.env.PATH,
      NATS_URL: `nats://127.0.0.1:${closed}`,
      NATS_PASSWORD: 'any',
      CAIRN_SECRET_KEY: SECRET_KEY,
      CAIRN_STARTUP_WAIT_MS: '2000',
    });
    assert.equal(gateway.code, 1, gateway.stderr);
    assert.match(
      gateway.stderr,
      new RegExp(
        `^cairn-server: gateway: cannot connect to NATS at nats://127\\.0\\.0\\.1:${closed} as gateway: ` +
          'still unreachable after \\d+ attempts in 2 s \\(CAIRN_STARTUP_WAIT_MS\\): connection refused\n$',
      ),
    );
  });

  test('a refused password is not waited for', async () => {
    const nats = await privateNats({ auth: true });
    try {
      // Ten minutes to wait, should it take the refusal for an absence: the run would be killed first.
      const { code, signal, stdout, stderr } = await cairnServer(['scheduler'], {
        PATH: process.env.PATH,
        NATS_URL: nats.url,
        NATS_PASSWORD: 'wrong',
        CAIRN_STARTUP_WAIT_MS: '600000',
      });
      assert.deepEqual([code, signal], [1, null], stderr);
      assert.match(
        stderr,
        /^cairn-server: scheduler: cannot connect to NATS at \S+ as scheduler: Authorization Violation/,
      );
      assert.doesNotMatch(stdout, /unreachable/);
    } finally {
      await nats.stop();
    }
  });

  test('a wait that is not a number of milliseconds is refused at start', async () => {
    const { code, stderr } = await cairnServer(['runner'], {
      PATH: process.env.PATH,
      CAIRN_STARTUP_WAIT_MS: 'soon',
    });
    assert.equal(code, 1);
    assert.match(stderr, /invalid configuration:\n {2}CAIRN_STARTUP_WAIT_MS: .*\(got "soon"\)/);
  });
});
