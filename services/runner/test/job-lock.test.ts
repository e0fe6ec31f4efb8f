import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Kvm } from '@nats-io/kv';
import { BUCKETS, connectNats, createLogger, type NatsConnection } from '@cairn/contracts';
import { runnerConfig } from '../src/config.js';
import { JobLockRepository } from '../src/repositories/job-lock.repository.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

describe('the job locks', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'job-lock-test');
  });
  after(async () => {
    await nc?.close();
    await nats?.stop();
  });

  test('a bucket made with another ack wait takes this runner’s, so no lock outlives its refresh', async () => {
    // As a runner of an earlier configuration left it: locks that last a minute.
    await new Kvm(nc).create(BUCKETS.jobLocks, { ttl: 60_000, history: 1 });
    const config = runnerConfig({ CAIRN_SOURCE_ROOTS: '/source', CAIRN_RUNNER_ACK_WAIT_MS: '8000' });
    const locks = new JobLockRepository(nc, createLogger('runner', 'silent'), config);
    const lock = await locks.tryAcquire('job-a', 'runner-a run-1');
    assert.ok(lock, 'the first run takes the lock');
    assert.equal(await locks.tryAcquire('job-a', 'runner-b run-2'), null, 'a second run waits');
    const status = await (await new Kvm(nc).open(BUCKETS.jobLocks)).status();
    assert.equal(status.ttl, 8000);
    await lock.release();
    const next = await locks.tryAcquire('job-a', 'runner-b run-2');
    assert.ok(next, 'released, the lock is free');
    await next.release();
  });
});
