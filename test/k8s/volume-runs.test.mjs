// The volume controller's runs in the catalog's history, and its /metrics (issue 15): a real
// kube-apiserver, a real catalog over a NATS server of the suite's own and PostgreSQL. The suite
// plays the kubelet: it starts and ends the backup and restore pods the controller makes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOG, connectNats, request } from '@cairn/contracts';
import { goTool } from '../support/go-tools.mjs';
import { startKubeApiserver } from '../support/kube-apiserver.mjs';
import { databaseUrl, freePort, privateNats } from '../support/services.mjs';
import { main as catalogMain } from '../../services/catalog/dist/src/main.js';
import { main } from '../../services/volume-controller/dist/src/main.js';
import { Cluster, controllerRbac, eventually, theOne } from './cluster.mjs';

const KUBE_APISERVER = goTool('kube-apiserver');
const EVERY_SECOND = '* * * * * *';
const JOB = 'apps-volumes';
const BACKED_UP = { 'cairn.io/backup': 'true', 'cairn.io/schedule': EVERY_SECOND };
const NOT_REACHABLE =
  'the catalog cannot be reached: volume runs are not recorded in its history until it can (backups go on)';

class Log {
  lines = [];
  write(line) {
    this.lines.push(JSON.parse(line));
  }
  count(message) {
    return this.lines.filter((line) => line.msg === message).length;
  }
}

/** Whole seconds, as the API server keeps times. */
const at = (offsetS) =>
  new Date(Math.floor(Date.now() / 1000 + offsetS) * 1000).toISOString().replace('.000', '');

describe('volume runs in the catalog, and the controller’s /metrics', () => {
  let kube, cluster, dir, token, nats, nc, catalog, controller, job;
  const log = new Log();

  const controllerEnv = async (extra) => ({
    CAIRN_KUBE_API_URL: kube.base,
    CAIRN_KUBE_TOKEN_FILE: token,
    CAIRN_KUBE_CA_FILE: kube.caFile,
    CAIRN_CLUSTER_NAME: 'test-cluster',
    CAIRN_CONTROLLER_RESYNC_MS: '200',
    CAIRN_KUBE_WATCH_TIMEOUT_S: '5',
    CAIRN_CONTROLLER_BIND: '127.0.0.1',
    CAIRN_CONTROLLER_HEALTH_PORT: String(await freePort()),
    CAIRN_METRICS_PORT: '0',
    CAIRN_BACKUP_SCHEDULE: '0 0 1 1 *',
    ...extra,
  });
  const runOf = async (pod) =>
    (await request(nc, CATALOG.runs.list, { jobId: job.id, limit: 500 })).find(
      (run) => run.id === pod.metadata.uid,
    );
  /** The next backup pod of a PVC that is not `previous`. */
  const nextPod = (claim, previous) =>
    eventually(async () => {
      const pod = (await cluster.backupPods('apps', claim)).find(
        (p) => p.metadata.name !== previous?.metadata.name,
      );
      assert.ok(pod, 'the next run’s pod');
      return pod;
    });
  const metrics = async () => {
    const text = await (await fetch(controller.metricsUrl)).text();
    const value = (series) =>
      Number(text.match(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm'))?.[1]);
    return { text, value };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-volume-runs-'));
    kube = await startKubeApiserver({ binary: KUBE_APISERVER });
    cluster = new Cluster(kube);
    nats = await privateNats();
    catalog = await catalogMain({
      env: {
        NATS_URL: nats.url,
        DATABASE_URL: new URL(`/cairn_volume_runs_${randomBytes(4).toString('hex')}`, await databaseUrl())
          .href,
        CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
        CAIRN_METRICS_PORT: '0',
        CAIRN_LOG_LEVEL: 'fatal',
      },
    });
    nc = await connectNats(nats.url, 'volume-runs test');
    const destination = await request(nc, CATALOG.destinations.create, {
      name: 'cluster',
      url: join(dir, 'repos'),
    });
    job = await request(nc, CATALOG.jobs.create, {
      name: JOB,
      sources: ['/volumes'],
      destinationId: destination.id,
      passphrase: 'correct horse battery staple',
    });

    await cluster.namespace('cairn');
    await cluster.namespace('apps', { annotations: { 'cairn.io/job': JOB } });
    await cluster.namespace('offline');
    for (const object of controllerRbac('backup', { 'controller.namespaces': '{apps,offline}' })) {
      await cluster.create(object);
    }
    token = await cluster.tokenFile('cairn', 'backup-cairn-volume-controller', dir);
    controller = await main(
      await controllerEnv({ NATS_URL: nats.url, CAIRN_CONTROLLER_NAMESPACES: 'apps' }),
      {
        logDestination: log,
      },
    );
  });
  after(async () => {
    await controller?.close();
    await nc?.drain();
    await catalog?.close();
    await nats?.stop();
    await kube?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('each backup pod is a run of the job: running, then warning (exit 3), failed, succeeded, with its times', async () => {
    const before = await metrics();
    await cluster.boundClaim('apps', 'data', { annotations: BACKED_UP });

    const first = await theOne(() => cluster.backupPods('apps', 'data'));
    assert.equal(first.metadata.annotations['cairn.io/job'], JOB);
    assert.equal(first.spec.containers[0].terminationMessagePolicy, 'FallbackToLogsOnError');
    const startedAt = at(-5);
    await cluster.runPod('apps', first.metadata.name, startedAt);
    const running = await eventually(async () => {
      const run = await runOf(first);
      assert.equal(run?.status, 'running');
      return run;
    });
    assert.equal(run(running), 'backup schedule');
    assert.equal(Date.parse(running.startedAt), Date.parse(startedAt));
    assert.equal(running.finishedAt, null);

    const finishedAt = at(0);
    await cluster.endPod('apps', first.metadata.name, {
      exitCode: 3,
      startedAt,
      finishedAt,
      message: 'warning: /volumes/apps/data/socket: not a regular file, skipped\n',
    });
    const warned = await eventually(async () => {
      const run = await runOf(first);
      assert.equal(run?.status, 'warning');
      return run;
    });
    assert.equal(Date.parse(warned.startedAt), Date.parse(startedAt));
    assert.equal(Date.parse(warned.finishedAt), Date.parse(finishedAt));
    assert.equal(warned.error, null);
    const { lines } = await request(nc, CATALOG.runs.log, { id: warned.id });
    assert.deepEqual(lines, [
      `backup of PVC apps/data by pod ${first.metadata.name}`,
      'warning: /volumes/apps/data/socket: not a regular file, skipped',
    ]);

    // The next fire's pod; it fails before it ever is seen running.
    const second = await nextPod('data', first);
    await cluster.endPod('apps', second.metadata.name, {
      exitCode: 12,
      startedAt: at(-1),
      finishedAt: at(0),
      message: 'Fatal: wrong password or no key found\n',
    });
    const failed = await eventually(async () => {
      const run = await runOf(second);
      assert.equal(run?.status, 'failed');
      return run;
    });
    assert.equal(
      failed.error,
      'cairn backup exited with code 12 (Error): Fatal: wrong password or no key found',
    );
    assert.ok(failed.startedAt && failed.finishedAt);

    const third = await nextPod('data', second);
    await cluster.runPod('apps', third.metadata.name, at(-1));
    // What `cairn backup --summary-file /dev/termination-log` leaves there (backup-pod.test.mjs).
    const snapshotId = 'ab'.repeat(32);
    const summary = {
      message_type: 'summary',
      snapshot_id: snapshotId,
      filesNew: 12,
      filesChanged: 3,
      filesUnmodified: 400,
      dirs: 20,
      otherEntries: 0,
      bytesRead: 5_000_000,
      bytesTotal: 80_000_000,
      bytesAdded: 1_048_576,
      blobsAdded: 30,
      packsWritten: 1,
      warnings: 0,
      durationMs: 4200,
    };
    await cluster.endPod('apps', third.metadata.name, {
      exitCode: 0,
      startedAt: at(-1),
      finishedAt: at(0),
      message: `${JSON.stringify(summary)}\n`,
    });
    const succeeded = await eventually(async () => {
      const found = await runOf(third);
      assert.equal(found?.status, 'succeeded');
      return found;
    });
    assert.deepEqual(succeeded.stats, {
      snapshotId,
      filesNew: 12,
      filesChanged: 3,
      filesUnmodified: 400,
      bytesRead: 5_000_000,
      bytesTotal: 80_000_000,
      bytesAdded: 1_048_576,
      warnings: 0,
    });
    assert.deepEqual((await request(nc, CATALOG.runs.log, { id: succeeded.id })).lines, [
      `backup of PVC apps/data by pod ${third.metadata.name}`,
      'snapshot abababab saved: 12 new, 3 changed, 400 unmodified files, 1.00 MiB added',
    ]);

    // Each pod is one run, however often the controller saw it (every 200 ms).
    const runs = await request(nc, CATALOG.runs.list, { jobId: job.id, limit: 500 });
    for (const pod of [first, second, third])
      assert.equal(runs.filter((r) => r.id === pod.metadata.uid).length, 1);

    const after = await metrics();
    const delta = (series) => after.value(series) - (before.value(series) || 0);
    assert.ok(
      delta('cairn_volume_pods_started_total{kind="backup"}') >= 3,
      'three pods made (and the fourth, maybe)',
    );
    assert.equal(delta('cairn_volume_pods_finished_total{kind="backup",status="warning"}'), 1);
    assert.equal(delta('cairn_volume_pods_finished_total{kind="backup",status="failed"}'), 1);
    assert.equal(delta('cairn_volume_pods_finished_total{kind="backup",status="succeeded"}'), 1);
    assert.equal(after.value('cairn_volume_pods_started_total{kind="restore"}'), 0);
    assert.match(after.text, /^process_cpu_user_seconds_total /m, 'the process series, as every service has');
    assert.match(after.text, /^process_start_time_seconds /m);
  });

  test('a restore pod is a restore run of the job, its end from the pod', async () => {
    await cluster.boundClaim('apps', 'data-restored', {
      annotations: { 'cairn.io/restore-from': 'data', 'cairn.io/restore-snapshot': 'a1b2c3d4e5f60718' },
    });
    const pod = await theOne(() => cluster.restorePods('apps', 'data-restored'));
    assert.equal(pod.metadata.annotations['cairn.io/job'], JOB);
    await cluster.runPod('apps', pod.metadata.name, at(-2));
    await cluster.endPod('apps', pod.metadata.name, { exitCode: 0, startedAt: at(-2), finishedAt: at(0) });
    const restore = await eventually(async () => {
      const found = await runOf(pod);
      assert.equal(found?.status, 'succeeded');
      return found;
    });
    assert.equal(run(restore), 'restore api');
    const { value } = await metrics();
    assert.equal(value('cairn_volume_pods_started_total{kind="restore"}'), 1);
    assert.equal(value('cairn_volume_pods_finished_total{kind="restore",status="succeeded"}'), 1);
  });

  test('a PVC whose job the catalog does not have: backed up all the same, said once', async () => {
    await cluster.boundClaim('apps', 'unlisted', {
      annotations: { ...BACKED_UP, 'cairn.io/job': 'nowhere' },
    });
    const first = await theOne(() => cluster.backupPods('apps', 'unlisted'));
    await cluster.endPod('apps', first.metadata.name, { exitCode: 0, startedAt: at(-1), finishedAt: at(0) });
    const second = await nextPod('unlisted', first);
    await cluster.endPod('apps', second.metadata.name, { exitCode: 0, startedAt: at(-1), finishedAt: at(0) });
    await nextPod('unlisted', second);
    const said = log.lines.filter(
      (line) => line.job === 'nowhere' && /has no job named "nowhere"/.test(line.msg),
    );
    assert.equal(said.length, 1, JSON.stringify(said));
  });

  test('with the catalog away the controller goes on backing up, says so in one line, and records the runs when it is back', async () => {
    // A NATS server of its own with no catalog answering yet.
    const lonely = await privateNats();
    const offlineLog = new Log();
    const offline = await main(
      await controllerEnv({ NATS_URL: lonely.url, CAIRN_CONTROLLER_NAMESPACES: 'offline' }),
      { logDestination: offlineLog },
    );
    let late;
    try {
      await cluster.boundClaim('offline', 'data', { annotations: BACKED_UP });
      const pods = () => cluster.backupPods('offline', 'data');
      const next = (previous) =>
        eventually(async () => {
          const found = (await pods()).find((p) => p.metadata.name !== previous?.metadata.name);
          assert.ok(found, 'the next run’s pod');
          return found;
        });
      let previous;
      for (let fire = 0; fire < 3; fire++) {
        const pod = await next(previous);
        await cluster.runPod('offline', pod.metadata.name, at(-1));
        await cluster.endPod('offline', pod.metadata.name, {
          exitCode: 0,
          startedAt: at(-1),
          finishedAt: at(0),
        });
        previous = pod;
      }
      const running = await next(previous);
      await cluster.runPod('offline', running.metadata.name, at(-1));
      await eventually(() => assert.equal(offlineLog.count(NOT_REACHABLE), 1));
      const ready = await fetch(`http://127.0.0.1:${offline.healthPort}/readyz`);
      assert.equal(ready.status, 200, 'the catalog is none of its readiness');

      late = await catalogMain({
        env: {
          NATS_URL: lonely.url,
          DATABASE_URL: new URL(`/cairn_volume_runs_${randomBytes(4).toString('hex')}`, await databaseUrl())
            .href,
          CAIRN_SECRET_KEY: randomBytes(32).toString('hex'),
          CAIRN_METRICS_PORT: '0',
          CAIRN_LOG_LEVEL: 'fatal',
        },
      });
      const lateNc = await connectNats(lonely.url, 'volume-runs test, late catalog');
      try {
        const destination = await request(lateNc, CATALOG.destinations.create, {
          name: 'cluster',
          url: join(dir, 'late'),
        });
        // The namespace names no job: the default one.
        const volumes = await request(lateNc, CATALOG.jobs.create, {
          name: 'volumes',
          sources: ['/volumes'],
          destinationId: destination.id,
          passphrase: 'correct horse battery staple',
        });
        await eventually(async () => {
          const runs = await request(lateNc, CATALOG.runs.list, { jobId: volumes.id });
          assert.deepEqual(
            runs.map((r) => [r.id, r.status]),
            [[running.metadata.uid, 'running']],
            'the pod still there is recorded at the next resync',
          );
        });
        assert.equal(
          offlineLog.count('the catalog answers again: volume runs are recorded in its history'),
          1,
        );
        assert.equal(
          offlineLog.count(NOT_REACHABLE),
          1,
          'one line for the whole outage, not one per pod or resync',
        );
      } finally {
        await lateNc.drain();
      }
    } finally {
      await offline.close();
      await late?.close();
      await lonely.stop();
    }
  });
});

/** A run's kind and trigger, in a word each. */
const run = ({ kind, trigger }) => `${kind} ${trigger}`;
