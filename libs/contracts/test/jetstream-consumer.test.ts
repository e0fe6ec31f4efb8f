import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AckPolicy, jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import {
  connectNats,
  createLogger,
  JetStreamConsumer,
  onMessage,
  type NatsConnection,
  type Settlement,
} from '../src/index.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

const STREAM = 'CONSUMER_TEST';
/** Short, so that a message whose keep-alive failed would be redelivered within the test. */
const ACK_WAIT_MS = 2000;
const Event = z.object({ n: z.number().int() });
type Event = z.infer<typeof Event>;

describe('the JetStream consumer base, against a NATS server of its own', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const logger = createLogger('consumer-test', 'silent');

  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'consumer-test');
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ['test.>'] });
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  /** A durable consumer of a subject of its own, and a reader of it with `handle`. */
  async function reader(handle: (event: Event) => Promise<Settlement>, concurrency = 1) {
    const durable = `d${randomUUID().slice(0, 8)}`;
    const subject = `test.${durable}`;
    await jsm.consumers.add(STREAM, {
      durable_name: durable,
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      ack_wait: ACK_WAIT_MS * 1e6,
    });
    const consumer = new JetStreamConsumer(nc, {
      stream: STREAM,
      durable,
      handlers: { [subject]: onMessage(Event, handle) },
      concurrency,
      retryAfterMs: 1000,
      logger,
    });
    await consumer.start();
    return {
      consumer,
      publish: async (payload: unknown) => {
        await jetstream(nc).publish(subject, JSON.stringify(payload));
      },
      info: () => jsm.consumers.info(STREAM, durable),
      /** What the next reader of the durable consumer gets. */
      next: async () => (await jetstream(nc).consumers.get(STREAM, durable)).next({ expires: 5000 }),
    };
  }

  test('a handled message is acknowledged', async () => {
    const seen: number[] = [];
    const { consumer, publish, info } = await reader(async ({ n }) => void seen.push(n));
    try {
      await publish({ n: 1 });
      await publish({ n: 2 });
      await eventually(async () => {
        const state = await info();
        assert.equal(state.ack_floor.stream_seq, state.delivered.stream_seq);
        assert.equal(state.num_pending, 0);
        assert.equal(state.num_ack_pending, 0);
      });
      assert.deepEqual(seen, [1, 2]);
    } finally {
      await consumer.stop();
    }
  });

  test('a message put off comes back after its delay, and one whose handler threw after retryAfterMs', async () => {
    const deliveries: { n: number; at: number }[] = [];
    const { consumer, publish, info } = await reader(async ({ n }) => {
      deliveries.push({ n, at: Date.now() });
      const times = deliveries.filter((delivery) => delivery.n === n).length;
      if (n === 1 && times === 1) return { redeliverAfterMs: 1500 };
      if (n === 2 && times === 1) throw new Error('not yet');
    }, 2);
    try {
      await publish({ n: 1 });
      await publish({ n: 2 });
      await eventually(async () => assert.equal((await info()).num_ack_pending, 0));
      await eventually(async () => assert.equal((await info()).num_pending, 0));
      const at = (n: number) => deliveries.filter((delivery) => delivery.n === n).map(({ at }) => at);
      const [first, again] = at(1);
      assert.equal(at(1).length, 2);
      assert.ok(again! - first! >= 1500, `redelivered after ${again! - first!} ms`);
      const [failed, retried] = at(2);
      assert.equal(at(2).length, 2);
      assert.ok(retried! - failed! >= 1000, `retried after ${retried! - failed!} ms`);
    } finally {
      await consumer.stop();
    }
  });

  test('an invalid payload is terminated, never handled nor redelivered', async () => {
    const seen: number[] = [];
    const { consumer, publish, info } = await reader(async ({ n }) => void seen.push(n));
    try {
      await publish({ n: 'one' });
      await publish('not an object');
      await publish({ n: 3 });
      await eventually(() => assert.deepEqual(seen, [3]));
      await eventually(async () => assert.equal((await info()).num_ack_pending, 0));
      const state = await info();
      // Terminated messages count as settled: nothing is waiting for an acknowledgement or a retry.
      assert.equal(state.ack_floor.stream_seq, state.delivered.stream_seq);
      assert.equal(state.num_redelivered, 0);
      assert.equal(state.delivered.consumer_seq, 3);
    } finally {
      await consumer.stop();
    }
  });

  test('keep-alive lets a handler run for several ack waits without a redelivery', async () => {
    let calls = 0;
    // Two free handlers: a redelivery would be taken by the second while the first still runs.
    const { consumer, publish, info } = await reader(async () => {
      calls += 1;
      const started = Date.now();
      await eventually(() => assert.ok(Date.now() - started > 2.5 * ACK_WAIT_MS), 60_000);
    }, 2);
    try {
      await publish({ n: 1 });
      await eventually(async () => assert.equal((await info()).ack_floor.consumer_seq, 1), 60_000);
      assert.equal(calls, 1);
      const state = await info();
      assert.equal(state.num_redelivered, 0);
      assert.equal(state.delivered.consumer_seq, 1);
    } finally {
      await consumer.stop();
    }
  });

  test('stop pulls no more, and waits for the handler in hand, whose message is acknowledged', async () => {
    const finish = Promise.withResolvers<void>();
    const events: string[] = [];
    const { consumer, publish, info, next } = await reader(async ({ n }) => {
      events.push(`started ${n}`);
      await finish.promise;
      events.push(`finished ${n}`);
    }, 2);
    await publish({ n: 1 });
    await eventually(() => assert.deepEqual(events, ['started 1']));
    const stopped = consumer.stop().then(() => events.push('stopped'));
    await publish({ n: 2 });
    // The pull under way ends within its expiry; a message it brought is handed back, not handled.
    await eventually(async () => assert.equal((await info()).num_waiting, 0));
    assert.deepEqual(events, ['started 1']);
    finish.resolve();
    await stopped;
    assert.deepEqual(events, ['started 1', 'finished 1', 'stopped']);
    assert.equal((await info()).ack_floor.consumer_seq, 1);
    const left = await next();
    assert.deepEqual(left?.json(), { n: 2 });
    left?.ack();
  });
});
