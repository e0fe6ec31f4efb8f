import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  connectNats,
  ensureStreams,
  ensureRunnerConsumer,
  HandlerError,
  loadConfig,
  ConfigError,
  RemoteError,
  request,
  serve,
  STREAMS,
  type NatsConnection,
} from '../src/index.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

describe('contracts over a real NATS server', () => {
  // A server of its own: the runners' consumer set here must not change the one other suites use.
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'contracts-test');
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const subject = `test.${randomUUID()}`;
  const echo = {
    subject,
    request: z.object({ name: z.string().min(2), count: z.number().int() }),
    response: z.object({ greeting: z.string() }),
  };

  test('request and reply are validated on both ends; errors keep their code and field', async () => {
    const errors: unknown[] = [];
    const sub = serve(
      nc,
      echo,
      async ({ name, count }) => {
        if (name === 'missing') throw new HandlerError('not-found', 'no such name');
        if (name === 'boom') throw new Error('database password=hunter2 exploded');
        return { greeting: `hello ${name} ×${count}` };
      },
      { queue: 'test', logger: { error: (fields) => errors.push(fields) } },
    );
    try {
      assert.deepEqual(await request(nc, echo, { name: 'world', count: 2 }), { greeting: 'hello world ×2' });
      await assert.rejects(
        request(nc, echo, { name: 'missing', count: 1 }),
        (error: RemoteError) => error.body.code === 'not-found',
      );
      // A request that bypasses client-side validation is refused by the server, naming the field.
      const raw = (await nc.request(subject, JSON.stringify({ name: 'x', count: 1 }))).json<{
        ok: boolean;
        error: { code: string; field: string };
      }>();
      assert.deepEqual([raw.ok, raw.error.code, raw.error.field], [false, 'bad-request', 'name']);
      // An unexpected failure is `internal` to the caller (no detail leaks) and reported locally.
      await assert.rejects(
        request(nc, echo, { name: 'boom', count: 1 }),
        (error: RemoteError) => error.body.code === 'internal' && !error.message.includes('hunter2'),
      );
      assert.equal(errors.length, 1);
    } finally {
      sub.unsubscribe();
    }
  });

  test('a reply larger than one NATS message arrives whole, in parts', async () => {
    const big = { subject: `test.${randomUUID()}`, request: z.object({}), response: z.array(z.string()) };
    // 3 MiB of names: three times the server's largest message.
    const names = Array.from(
      { length: 40_000 },
      (_, index) => `${String(index).padStart(8, '0')}${'x'.repeat(90)}`,
    );
    const sub = serve(nc, big, async () => names, { queue: 'test', logger: { error: () => {} } });
    try {
      assert.ok(JSON.stringify(names).length > 3 * (nc.info?.max_payload ?? 0));
      assert.deepEqual(await request(nc, big, {}), names);
    } finally {
      sub.unsubscribe();
    }
  });

  test('a request nobody answers fails as unavailable', async () => {
    await assert.rejects(
      request(nc, { ...echo, subject: `nobody.${randomUUID()}` }, { name: 'ab', count: 1 }, 500),
      (error: RemoteError) => error.body.code === 'unavailable',
    );
  });

  test('ensureStreams creates the JOBS and EVENTS streams and their consumers, and is idempotent', async () => {
    await ensureStreams(nc);
    await ensureStreams(nc);
    const jsm = await jetstreamManager(nc);
    assert.equal((await jsm.streams.info(STREAMS.jobs.name)).config.retention, 'workqueue');
    assert.ok(await jsm.consumers.info(STREAMS.events.name, 'catalog'));
  });

  test("the runners' consumer takes the runner's ack wait, and a second runner's setting replaces it", async () => {
    await ensureStreams(nc);
    const jsm = await jetstreamManager(nc);
    await ensureRunnerConsumer(nc, 60_000);
    await ensureRunnerConsumer(nc, 60_000);
    assert.equal((await jsm.consumers.info(STREAMS.jobs.name, 'runners')).config.ack_wait, 60e9);
    await ensureRunnerConsumer(nc, 8000);
    assert.equal((await jsm.consumers.info(STREAMS.jobs.name, 'runners')).config.ack_wait, 8e9);
    // Services other than the runner leave it as the runner set it.
    await ensureStreams(nc);
    assert.equal((await jsm.consumers.info(STREAMS.jobs.name, 'runners')).config.ack_wait, 8e9);
  });

  test("runners starting at the same moment, with other ack waits, all start; one runner's setting holds", async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete(STREAMS.jobs.name, 'runners');
    const ackWaits = [5000, 7000, 9000, 11_000];
    await Promise.all(ackWaits.map((ms) => ensureRunnerConsumer(nc, ms)));
    const { ack_wait } = (await jsm.consumers.info(STREAMS.jobs.name, 'runners')).config;
    assert.ok(ackWaits.map((ms) => ms * 1e6).includes(ack_wait ?? 0), `ack wait ${ack_wait}`);
  });
});

describe('configuration from the environment', () => {
  const schema = z.object({
    CAIRN_PORT: z.coerce.number().int().max(65535),
    CAIRN_SECRET_KEY: z.string().length(64),
  });

  test('an empty variable counts as not set, so its default applies', () => {
    const withDefault = z.object({
      CAIRN_PORT: z.coerce.number().default(8200),
      CAIRN_ADMIN_PASSWORD: z.string().min(8).optional(),
    });
    assert.deepEqual(loadConfig(withDefault, { CAIRN_PORT: '', CAIRN_ADMIN_PASSWORD: '' }), {
      CAIRN_PORT: 8200,
    });
  });

  test('names every bad variable and never shows a secret', () => {
    assert.throws(
      () => loadConfig(schema, { CAIRN_PORT: '99999', CAIRN_SECRET_KEY: 'short-secret' }),
      (error: Error) =>
        error instanceof ConfigError &&
        /CAIRN_PORT: .*got "99999"/.test(error.message) &&
        /CAIRN_SECRET_KEY: .*value hidden/.test(error.message) &&
        !error.message.includes('short-secret'),
    );
  });
});
