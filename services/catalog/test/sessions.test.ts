import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CATALOG } from '@cairn/contracts';
import { main } from '../src/main.js';
import { isolate, startCatalog, type TestCatalog } from './support/catalog.js';
import { query } from './support/database.js';
import { LogCapture } from './support/log-capture.js';
import { rejectsWith } from './support/rejects-with.js';

type FaultProxyModule = typeof import('../../../test/support/fault-proxy.mjs');
const { startFaultProxy } = (await import(
  fileURLToPath(new URL('../../../../test/support/fault-proxy.mjs', import.meta.url))
)) as FaultProxyModule;

const inAWeek = () => new Date(Date.now() + 7 * 24 * 3600_000).toISOString();

describe('sign-in sessions (refresh-token families)', () => {
  let catalog: TestCatalog;
  before(async () => {
    catalog = await startCatalog('sessions');
  });
  after(() => catalog?.stop());

  const start = async () => {
    const session = { id: randomUUID(), tokenId: randomUUID(), expiresAt: inAWeek() };
    assert.deepEqual(await catalog.call(CATALOG.sessions.start, session), { ok: true });
    return session;
  };
  const rotate = (id: string, tokenId: string, nextTokenId = randomUUID()) =>
    catalog.call(CATALOG.sessions.rotate, { id, tokenId, nextTokenId, expiresAt: inAWeek() });

  test('only the current token renews a session, and a used one presented again ends it', async () => {
    const session = await start();
    const second = randomUUID();
    assert.deepEqual(await rotate(session.id, session.tokenId, second), { outcome: 'rotated' });
    const third = randomUUID();
    assert.deepEqual(await rotate(session.id, second, third), { outcome: 'rotated' });
    // The first token again: a copy is in someone else's hands.
    assert.deepEqual(await rotate(session.id, session.tokenId), { outcome: 'reused' });
    assert.deepEqual(await rotate(session.id, third), { outcome: 'unknown' }, 'the session is gone');
    assert.ok(
      catalog.logs.messages().some((message) => message.includes('used refresh token was presented')),
    );
  });

  test('two renewals with the same token at once: one wins', async () => {
    const session = await start();
    const outcomes = await Promise.all([
      rotate(session.id, session.tokenId),
      rotate(session.id, session.tokenId),
    ]);
    assert.deepEqual(outcomes.map(({ outcome }) => outcome).sort(), ['reused', 'rotated']);
  });

  test('a session that was ended, or has expired, is unknown, and expired rows are deleted', async () => {
    const session = await start();
    assert.deepEqual(await catalog.call(CATALOG.sessions.end, { id: session.id }), { removed: true });
    assert.deepEqual(await rotate(session.id, session.tokenId), { outcome: 'unknown' });
    assert.deepEqual(await catalog.call(CATALOG.sessions.end, { id: session.id }), { removed: false });

    const expired = {
      id: randomUUID(),
      tokenId: randomUUID(),
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    };
    await catalog.call(CATALOG.sessions.start, expired);
    assert.deepEqual(await rotate(expired.id, expired.tokenId), { outcome: 'unknown' });
    const rows = await query(catalog.databaseUrl, 'SELECT id FROM sessions WHERE id = $1', [expired.id]);
    assert.deepEqual(rows, []);
  });
});

describe('while the database is away', () => {
  test('requests are answered "unavailable" (the gateway says 503), not "internal"', async () => {
    const isolation = await isolate('dbdown');
    const database = new URL(isolation.databaseUrl);
    // The catalog reaches PostgreSQL through a forwarder the test can take away.
    const forwarder = await startFaultProxy({ port: Number(database.port || 5432), host: database.hostname });
    database.port = String(forwarder.port);
    database.hostname = '127.0.0.1';
    const logs = new LogCapture();
    const app = await main({
      env: { ...isolation.env, DATABASE_URL: database.href },
      logDestination: logs,
    });
    try {
      assert.deepEqual(await isolation.call(CATALOG.settings.get, {}), {});
      await forwarder.stop();
      const refused = await rejectsWith(isolation.call(CATALOG.jobs.list, {}), 'unavailable');
      assert.match(refused.message, /database is not reachable/);
    } finally {
      await app.close().catch(() => undefined);
      await isolation.release();
    }
  });
});
