import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  CATALOG,
  CONSUMERS,
  STREAMS,
  SUBJECTS,
  type Job,
  type RunFinished,
  type RunStarted,
  type RunStatus,
} from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { query } from './support/database.js';
import { destinationInput, jobInput } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

describe('runs', () => {
  let catalog: TestCatalog;
  let job: Job;
  before(async () => {
    catalog = await startCatalog('runs');
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
  });
  after(() => catalog?.stop());

  const queue = (id = randomUUID()) =>
    catalog.call(CATALOG.runs.create, { id, jobId: job.id, kind: 'backup', trigger: 'schedule' });

  const publish = async (subject: string, event: RunStarted | RunFinished | object) => {
    await jetstream(catalog.nc).publish(subject, JSON.stringify(event));
  };

  const started = (runId: string, at = new Date()): RunStarted => ({
    runId,
    jobId: job.id,
    kind: 'backup',
    startedAt: at.toISOString(),
    runner: 'runner-1',
  });

  const finished = (runId: string, status: RunStatus, at = new Date()): RunFinished => ({
    runId,
    jobId: job.id,
    kind: 'backup',
    status,
    startedAt: new Date(at.getTime() - 60_000).toISOString(),
    finishedAt: at.toISOString(),
    stats: { filesNew: 3, bytesAdded: 1024, snapshotId: 'ab'.repeat(32) },
    error: status === 'failed' ? 'destination unreachable' : null,
    failedAtStart: false,
    logTail: [`run ${status}`, 'done'],
  });

  const statusOf = async (id: string) => (await catalog.call(CATALOG.runs.get, { id })).status;

  /** Waits until the catalog's consumer has acknowledged every event published so far. */
  const settled = async () => {
    const jsm = await jetstreamManager(catalog.nc);
    await eventually(async () => {
      const info = await jsm.consumers.info(STREAMS.events.name, CONSUMERS.catalog);
      assert.equal(info.num_pending + info.num_ack_pending, 0);
    });
  };

  test('create is idempotent on the id: two concurrent creates make one row', async () => {
    const id = randomUUID();
    const results = await Promise.all([queue(id), queue(id)]);
    assert.deepEqual(results.map((result) => result.created).sort(), [false, true]);
    assert.deepEqual(results[0]!.run, results[1]!.run);
    assert.equal(results[0]!.run.status, 'queued');
    const rows = await query(catalog.databaseUrl, 'SELECT count(*)::int AS n FROM runs WHERE id = $1', [id]);
    assert.equal(rows[0]!.n, 1);
    assert.equal((await queue(id)).created, false);
  });

  test('create for an unknown job is a bad-request naming jobId; unknown run ids are not-found', async () => {
    await rejectsWith(
      catalog.call(CATALOG.runs.create, {
        id: randomUUID(),
        jobId: randomUUID(),
        kind: 'prune',
        trigger: 'api',
      }),
      'bad-request',
      'jobId',
    );
    await rejectsWith(catalog.call(CATALOG.runs.get, { id: randomUUID() }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.runs.log, { id: randomUUID() }), 'not-found');
  });

  test('list filters by job, newest first, up to the limit', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await queue()).run.id);
      await sleep(5); // distinct queue times, so "newest first" has one answer
    }
    const latest = await catalog.call(CATALOG.runs.list, { jobId: job.id, limit: 2 });
    assert.deepEqual(
      latest.map((run) => run.id),
      ids.reverse().slice(0, 2),
    );
    assert.ok(latest.every((run) => run.jobId === job.id));
    assert.deepEqual(await catalog.call(CATALOG.runs.list, { jobId: randomUUID() }), []);
  });

  test("recent answers each job's newest runs, at most perJob of each, newest first", async () => {
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    const jobs = await Promise.all(
      ['Recent A', 'Recent B'].map((name) =>
        catalog.call(CATALOG.jobs.create, { ...jobInput(destination.id), name }),
      ),
    );
    const made: Record<string, string[]> = {};
    for (let i = 0; i < 4; i++) {
      for (const each of jobs) {
        const { run } = await catalog.call(CATALOG.runs.create, {
          id: randomUUID(),
          jobId: each.id,
          kind: 'backup',
          trigger: 'manual',
        });
        (made[each.id] ??= []).unshift(run.id);
        await sleep(5); // distinct queue times, so "newest" has one answer
      }
    }
    const recent = await catalog.call(CATALOG.runs.recent, { perJob: 3 });
    for (const each of jobs) {
      const ofJob = recent.filter((run) => run.jobId === each.id).map((run) => run.id);
      assert.deepEqual(ofJob, made[each.id]!.slice(0, 3), each.name);
    }
    const times = recent.map((run) => run.queuedAt);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  });

  test('list filters by status and kind, and pages with an offset', async () => {
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    const other = await catalog.call(CATALOG.jobs.create, { ...jobInput(destination.id), name: 'History' });
    const create = (kind: 'backup' | 'verify') =>
      catalog.call(CATALOG.runs.create, { id: randomUUID(), jobId: other.id, kind, trigger: 'manual' });
    const backups: string[] = [];
    for (let i = 0; i < 3; i++) {
      backups.push((await create('backup')).run.id);
      await sleep(5);
    }
    const verify = (await create('verify')).run.id;
    await publish(SUBJECTS.runFinished, { ...finished(backups[0]!, 'failed'), jobId: other.id });
    await eventually(async () => assert.equal(await statusOf(backups[0]!), 'failed'));
    const ids = async (filter: object) =>
      (await catalog.call(CATALOG.runs.list, { jobId: other.id, ...filter })).map((run) => run.id);

    assert.deepEqual(await ids({ kind: 'verify' }), [verify]);
    assert.deepEqual(await ids({ status: 'failed' }), [backups[0]]);
    assert.deepEqual(await ids({ status: 'queued', kind: 'backup' }), [backups[2], backups[1]]);
    assert.deepEqual(await ids({ limit: 2, offset: 1 }), [backups[2], backups[1]]);
    assert.deepEqual(await ids({ offset: 4 }), []);
    const every = await catalog.call(CATALOG.runs.list, { kind: 'verify', limit: 500 });
    assert.ok(
      every.some((run) => run.id === verify),
      "without a job, every job's runs",
    );
  });

  test('run events move a run to running, then to its outcome with stats, error and log', async () => {
    const { run } = await queue();
    const startedAt = new Date('2026-01-02T03:04:05.000Z');
    await publish(SUBJECTS.runStarted, started(run.id, startedAt));
    await eventually(async () => assert.equal(await statusOf(run.id), 'running'));
    assert.equal((await catalog.call(CATALOG.runs.get, { id: run.id })).startedAt, startedAt.toISOString());

    const outcome = finished(run.id, 'failed', new Date('2026-01-02T03:14:05.000Z'));
    await publish(SUBJECTS.runFinished, outcome);
    await eventually(async () => assert.equal(await statusOf(run.id), 'failed'));
    const recorded = await catalog.call(CATALOG.runs.get, { id: run.id });
    assert.deepEqual(
      [recorded.startedAt, recorded.finishedAt, recorded.stats, recorded.error],
      [startedAt.toISOString(), outcome.finishedAt, outcome.stats, 'destination unreachable'],
    );
    assert.deepEqual(await catalog.call(CATALOG.runs.log, { id: run.id }), { lines: outcome.logTail });
  });

  test('redelivered and late events are harmless: a finished run never goes back', async () => {
    const { run } = await queue();
    await publish(SUBJECTS.runStarted, started(run.id));
    await publish(SUBJECTS.runStarted, started(run.id));
    const outcome = finished(run.id, 'succeeded');
    await publish(SUBJECTS.runFinished, outcome);
    await publish(SUBJECTS.runFinished, outcome);
    // A late start (a second runner after a crash) and a contradicting second outcome change nothing.
    await publish(SUBJECTS.runStarted, started(run.id));
    await publish(SUBJECTS.runFinished, finished(run.id, 'cancelled'));
    await settled();
    const recorded = await catalog.call(CATALOG.runs.get, { id: run.id });
    assert.deepEqual([recorded.status, recorded.finishedAt], ['succeeded', outcome.finishedAt]);
  });

  test('a finished event without a started one still records when the run began', async () => {
    const { run } = await queue();
    const outcome = finished(run.id, 'warning');
    await publish(SUBJECTS.runFinished, outcome);
    await eventually(async () => assert.equal(await statusOf(run.id), 'warning'));
    assert.equal((await catalog.call(CATALOG.runs.get, { id: run.id })).startedAt, outcome.startedAt);
  });

  test('events for unknown runs and malformed events are acknowledged without stopping the consumer', async () => {
    await publish(SUBJECTS.runStarted, started(randomUUID()));
    await publish(SUBJECTS.runFinished, { runId: 'not-a-uuid', status: 'succeeded' });
    await publish(SUBJECTS.runFinished, { ...finished(randomUUID(), 'running') });
    const { run } = await queue();
    await publish(SUBJECTS.runStarted, started(run.id));
    await eventually(async () => assert.equal(await statusOf(run.id), 'running'));
    await settled();
    assert.ok(catalog.logs.messages().includes('invalid message dropped'));
    assert.ok(catalog.logs.messages().includes('run started event for an unknown run'));
  });

  test('an event whose write fails is not acknowledged, and is recorded on redelivery', async () => {
    const { run } = await queue();
    await query(catalog.databaseUrl, 'ALTER TABLE runs RENAME TO runs_away');
    try {
      await publish(SUBJECTS.runStarted, started(run.id));
      await eventually(async () =>
        assert.ok(catalog.logs.messages().includes('handling failed; the message comes back')),
      );
    } finally {
      await query(catalog.databaseUrl, 'ALTER TABLE runs_away RENAME TO runs');
    }
    await eventually(async () => assert.equal(await statusOf(run.id), 'running'));
    await settled();
  });

  test("a run-finished event's snapshot list is mirrored once the database is back; an older run's list never replaces a newer one", async () => {
    const snapshot = (id: string, time: string) => ({
      id: id.repeat(64),
      jobId: job.id,
      time,
      host: 'cairn',
      paths: ['/source/photos'],
      tags: [],
      summary: { filesNew: 1 },
    });
    const first = snapshot('1', '2026-03-01T02:00:00.000Z');
    const second = snapshot('2', '2026-03-02T02:00:00.000Z');
    // Later than every run the other tests finished.
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const failures = () =>
      catalog.logs.messages().filter((message) => message === 'handling failed; the message comes back')
        .length;
    const failedBefore = failures();
    const older = await queue();
    const newer = await queue();
    const snapshotIds = async () =>
      (await catalog.call(CATALOG.snapshots.list, { jobId: job.id })).map((record) => record.id).sort();

    // The database is away as the newer run's event comes: nothing is lost, it is mirrored later.
    await query(catalog.databaseUrl, 'ALTER TABLE snapshots RENAME TO snapshots_away');
    try {
      await publish(SUBJECTS.runFinished, {
        ...finished(newer.run.id, 'succeeded', later(2)),
        snapshots: [first, second],
      });
      await eventually(async () => assert.ok(failures() > failedBefore));
    } finally {
      await query(catalog.databaseUrl, 'ALTER TABLE snapshots_away RENAME TO snapshots');
    }
    await eventually(async () => assert.deepEqual(await snapshotIds(), [first.id, second.id]));

    // A late event of an earlier run carries an older list: the run is recorded, the mirror stays.
    await publish(SUBJECTS.runFinished, {
      ...finished(older.run.id, 'succeeded', new Date('2026-03-01T02:05:00.000Z')),
      snapshots: [first],
    });
    await eventually(async () => assert.equal(await statusOf(older.run.id), 'succeeded'));
    await settled();
    assert.deepEqual(await snapshotIds(), [first.id, second.id]);
  });

  test('removing a job removes its runs', async () => {
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    const doomed = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    const { run } = await catalog.call(CATALOG.runs.create, {
      id: randomUUID(),
      jobId: doomed.id,
      kind: 'restore',
      trigger: 'manual',
      restore: { snapshotId: 'cd'.repeat(32), include: ['/a'], target: 'x' },
    });
    await catalog.call(CATALOG.jobs.remove, { id: doomed.id });
    await rejectsWith(catalog.call(CATALOG.runs.get, { id: run.id }), 'not-found');
  });
});
