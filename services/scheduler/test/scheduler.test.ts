import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { JetStreamManager } from '@nats-io/jetstream';
import {
  connectNats,
  ensureStreams,
  request,
  RunRequest,
  SCHEDULER,
  STREAMS,
  SUBJECTS,
  type NatsConnection,
} from '@cairn/contracts';
import { main, type RunningScheduler } from '../src/main.js';
import { runIdFor } from '../src/utils/run-id.js';
import { scheduledJob, standInCatalog } from './stand-in-catalog.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

const EVERY_2_S = '*/2 * * * * *';

describe('scheduler over a real NATS server', () => {
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let catalog: ReturnType<typeof standInCatalog>;
  let schedulers: RunningScheduler[] = [];

  const start = async (count: number) => {
    for (let i = 0; i < count; i++) {
      schedulers.push(
        await main({
          NATS_URL: nats.url,
          CAIRN_SCHEDULER_TICK_MS: '100',
          CAIRN_LOG_LEVEL: 'fatal',
          CAIRN_METRICS_PORT: '0',
        }),
      );
    }
  };
  const stopAll = async () => {
    await Promise.all(schedulers.map((scheduler) => scheduler.close()));
    schedulers = [];
  };

  /** The run requests queued for a job, read from the stream without consuming them. */
  const queued = async (jobId: string): Promise<RunRequest[]> => {
    const { state } = await jsm.streams.info(STREAMS.jobs.name);
    const requests: RunRequest[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(STREAMS.jobs.name, { seq }).catch(() => null);
      const body = message ? RunRequest.parse(message.json()) : undefined;
      if (body?.jobId === jobId) requests.push(body);
    }
    return requests;
  };

  const fireTimes = async (jobId: string) => (await queued(jobId)).map((run) => Date.parse(run.fireTime!));

  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'scheduler-test');
    jsm = await ensureStreams(nc);
    catalog = standInCatalog(nc);
  });

  beforeEach(() => {
    catalog.state.jobs = [];
  });

  after(async () => {
    await stopAll();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
  });

  test('two schedulers make exactly one run per fire', async () => {
    const job = scheduledJob(EVERY_2_S);
    catalog.state.jobs = [job];
    await start(2);
    const from = Date.now();
    await sleep(7000);
    await stopAll();
    const until = Date.now();

    const requests = await queued(job.id);
    const times = requests.map((run) => Date.parse(run.fireTime!));
    // Every even second in the window fired once: no gap, no double.
    const expected: number[] = [];
    for (let t = Math.ceil((from + 300) / 2000) * 2000; t <= until - 300; t += 2000) expected.push(t);
    assert.deepEqual(
      times.filter((t) => t >= expected[0]! && t <= expected.at(-1)!),
      expected,
      'one request per fire time',
    );
    assert.equal(new Set(times).size, times.length);
    for (const run of requests) {
      assert.equal(run.runId, runIdFor(job.id, new Date(run.fireTime!)));
      assert.equal(run.kind, 'backup');
      assert.ok(catalog.state.runs.has(run.runId), 'the run was created in the catalog first');
    }
    // Both replicas fired (the catalog saw the second create of a fire), yet each fire made one run.
    const creates = catalog.state.creates.filter((id) => requests.some((run) => run.runId === id));
    console.log(`${requests.length} fires, ${creates.length} creates from two replicas`);
    assert.ok(creates.length > requests.length, 'the second replica fired too');
  });

  test('each replica answers /metrics with its process series, on a port of its own', async () => {
    await start(2);
    const [first, second] = schedulers.map((scheduler) => scheduler.metricsUrl);
    assert.notEqual(first, second);
    for (const url of [first!, second!]) {
      assert.match(await (await fetch(url)).text(), /^process_start_time_seconds \d+$/m);
    }
    await stopAll();
  });

  test('the fire id is a UUID made from job, kind and fire time alone', () => {
    const job = '4d7c4a84-5f8e-4a55-9a34-1c2e5b0b7f10';
    const id = runIdFor(job, new Date('2026-03-29T01:30:00Z'));
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(id, runIdFor(job, new Date('2026-03-29T01:30:00Z')));
    assert.notEqual(id, runIdFor(job, new Date('2026-03-29T01:30:01Z')));
    // A verify due at the same second as a backup is a run of its own.
    assert.notEqual(id, runIdFor(job, new Date('2026-03-29T01:30:00Z'), 'verify'));
  });

  test('a verify schedule fires verify runs beside the backups, and only backups are "next"', async () => {
    const job = scheduledJob('0 0 1 1 *', { verifySchedule: { cron: EVERY_2_S, timezone: 'UTC' } });
    const verifyOnly = scheduledJob(null, { verifySchedule: { cron: EVERY_2_S, timezone: 'UTC' } });
    catalog.state.jobs = [job, verifyOnly];
    await start(1);
    await eventually(async () => {
      for (const { id } of [job, verifyOnly]) {
        const verifies = (await queued(id)).filter((run) => run.kind === 'verify');
        assert.ok(verifies.length >= 2, 'verifies fire on their own schedule');
        for (const run of verifies) {
          assert.equal(run.runId, runIdFor(id, new Date(run.fireTime!), 'verify'));
          assert.equal(catalog.state.runs.get(run.runId)?.kind, 'verify');
        }
      }
    });
    assert.deepEqual(
      (await queued(job.id)).filter((run) => run.kind === 'backup'),
      [],
      'the yearly backup did not fire',
    );
    const { next } = await request(nc, SCHEDULER.status, {});
    assert.deepEqual(
      next.filter((fire) => fire.jobId === job.id || fire.jobId === verifyOnly.id).map((fire) => fire.jobId),
      [job.id],
      'the next fire listed is the backup, not a verify',
    );
    assert.ok(Date.parse(next.find((fire) => fire.jobId === job.id)!.at) > Date.now() + 86_400_000);
    await stopAll();
  });

  test('while paused nothing fires; when the pause runs out, one run catches up and fires resume', async () => {
    const job = scheduledJob(EVERY_2_S);
    catalog.state.jobs = [job];
    await start(2);
    await eventually(async () => assert.ok((await fireTimes(job.id)).length > 0, 'the job fires'));
    const pausedUntil = Date.now() + 5000;
    const reply = await request(nc, SCHEDULER.pause, { untilMs: pausedUntil });
    // Fires due before the pause was acknowledged may have run; every later one is the pause's.
    const acknowledged = Date.now();
    assert.equal(reply.pausedUntil, pausedUntil);
    // Every replica knows, whichever one took the request.
    for (let i = 0; i < 4; i++) {
      assert.equal((await request(nc, SCHEDULER.status, {})).pausedUntil, pausedUntil);
    }
    const firesAfterPause = async () =>
      (await queued(job.id)).filter((run) => Date.parse(run.fireTime!) > acknowledged);
    // Fires resume: a fire due after the pause is queued (waited for, however slow the machine).
    await eventually(async () => {
      assert.ok(
        (await firesAfterPause()).some((run) => Date.parse(run.fireTime!) > pausedUntil),
        'fires resumed',
      );
    }, 30_000);
    await stopAll();
    const runs = await firesAfterPause();
    // The stand-in catalog stamps each run when its create arrives, so the stamp is never before the
    // scheduler decided to fire: a run stamped before the pause ran out was fired while paused.
    const firedWhilePaused = runs.filter(
      (run) => Date.parse(catalog.state.runs.get(run.runId)!.queuedAt) < pausedUntil,
    );
    assert.deepEqual(firedWhilePaused, [], 'nothing fired while paused');
    // One catch-up for the latest fire missed during the pause, then the regular fires.
    const missed = runs.filter((run) => Date.parse(run.fireTime!) < pausedUntil);
    const latestFireBeforeResume = Math.ceil(pausedUntil / 2000) * 2000 - 2000;
    const dueDuringPause = latestFireBeforeResume > acknowledged;
    assert.equal(
      missed.length,
      dueDuringPause ? 1 : 0,
      `missed fires run: ${runs.map((run) => run.fireTime).join(', ')}`,
    );
  });

  test('a pause until resumed outlives a restart, and resume lifts it', async () => {
    await start(1);
    await request(nc, SCHEDULER.pause, { untilMs: Number.MAX_SAFE_INTEGER });
    await stopAll();
    await start(1);
    assert.equal((await request(nc, SCHEDULER.status, {})).pausedUntil, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(await request(nc, SCHEDULER.pause, { untilMs: null }), { pausedUntil: null });
    assert.equal((await request(nc, SCHEDULER.status, {})).pausedUntil, null);
    await stopAll();
  });

  test('a schedule change is picked up without a restart', async () => {
    const job = scheduledJob(null);
    catalog.state.jobs = [job];
    await start(1);
    await sleep(2500);
    assert.deepEqual(await fireTimes(job.id), []);
    assert.deepEqual((await request(nc, SCHEDULER.status, {})).next, []);

    catalog.state.jobs = [{ ...job, schedule: { cron: EVERY_2_S, timezone: 'UTC' } }];
    nc.publish(SUBJECTS.schedulesChanged, JSON.stringify({ jobId: job.id, change: 'updated' }));
    const next = await eventually(async () => {
      const { next } = await request(nc, SCHEDULER.status, {});
      assert.equal(next.length, 1);
      return next;
    });
    assert.equal(Date.parse(next[0]!.at) % 2000, 0);
    await eventually(async () => {
      assert.ok((await fireTimes(job.id)).length >= 2, 'the new schedule fires');
    }, 30_000);

    catalog.state.jobs = [{ ...job, enabled: false, schedule: { cron: EVERY_2_S, timezone: 'UTC' } }];
    nc.publish(SUBJECTS.schedulesChanged, JSON.stringify({ jobId: job.id, change: 'updated' }));
    await eventually(async () => assert.deepEqual((await request(nc, SCHEDULER.status, {})).next, []));
    const stoppedAt = Date.now();
    await sleep(2500);
    await stopAll();
    assert.deepEqual(
      (await fireTimes(job.id)).filter((t) => t > stoppedAt),
      [],
      'a disabled job does not fire',
    );
  });

  test('after downtime each job catches up its latest missed fire once, however many it missed', async () => {
    const hourly = '0 0 * * * *';
    const lastHour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const longAgo = new Date(lastHour - 5 * 3_600_000).toISOString();
    // Missed five fires since its last scheduled run.
    const missing = scheduledJob(hourly, { createdAt: longAgo, updatedAt: longAgo });
    catalog.state.runs.set('00000000-0000-4000-8000-000000000001', {
      id: '00000000-0000-4000-8000-000000000001',
      jobId: missing.id,
      kind: 'backup',
      status: 'succeeded',
      trigger: 'schedule',
      queuedAt: new Date(lastHour - 3 * 3_600_000).toISOString(),
      startedAt: null,
      finishedAt: null,
      stats: null,
      error: null,
    });
    // Made after its latest fire: nothing was missed.
    const fresh = scheduledJob(hourly, { createdAt: new Date(lastHour + 1000).toISOString() });
    // Its latest fire did run.
    const upToDate = scheduledJob(hourly, { createdAt: longAgo, updatedAt: longAgo });
    catalog.state.runs.set(runIdFor(upToDate.id, new Date(lastHour)), {
      id: runIdFor(upToDate.id, new Date(lastHour)),
      jobId: upToDate.id,
      kind: 'backup',
      status: 'succeeded',
      trigger: 'schedule',
      queuedAt: new Date(lastHour + 5).toISOString(),
      startedAt: null,
      finishedAt: null,
      stats: null,
      error: null,
    });
    catalog.state.jobs = [missing, fresh, upToDate];
    // Two replicas come back at once, and one of them restarts.
    await start(2);
    await eventually(async () => assert.ok((await fireTimes(missing.id)).length > 0, 'the catch-up fired'));
    await sleep(500);
    await stopAll();
    await start(1);
    await sleep(1000);
    await stopAll();

    assert.deepEqual(await fireTimes(missing.id), [lastHour]);
    assert.deepEqual(await fireTimes(fresh.id), []);
    assert.deepEqual(await fireTimes(upToDate.id), []);
  });

  test('cron runs in the job time zone', async () => {
    const job = scheduledJob('30 2 * * *', {});
    catalog.state.jobs = [{ ...job, schedule: { cron: '30 2 * * *', timezone: 'America/New_York' } }];
    await start(1);
    const [next] = await eventually(async () => {
      const { next } = await request(nc, SCHEDULER.status, {});
      assert.equal(next.length, 1);
      return next;
    });
    await stopAll();
    const at = new Date(next!.at);
    const wall = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
    assert.equal(wall, '02:30');
  });
});
