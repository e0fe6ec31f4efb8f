import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { jetstreamManager } from '@nats-io/jetstream';
import {
  connectNats,
  CONSUMERS,
  RemoteError,
  request,
  RUNNER,
  STREAMS,
  SUBJECTS,
  type NatsConnection,
} from '@cairn/contracts';
import { check, listSnapshots, openBackend, Repository } from '@cairn/engine';
import { main, type RunningRunner } from '../src/main.js';
import { requestRun, watchRun } from './run-watch.js';
import { resolvedJob, standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

describe('runner over a real NATS server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-runner-'));
  const sources = join(dir, 'source');
  const restores = join(dir, 'restore');
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;
  let runner: RunningRunner;

  /** A job backing up a folder of random files (incompressible, so `max` compression makes it slow). */
  const jobWithData = (name: string, files: number, bytesEach: number, fields = {}) => {
    const folder = join(sources, name);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(join(folder, `file-${i}.bin`), randomBytes(bytesEach));
    const job = resolvedJob({ sources: [folder], url: join(dir, 'repos', name), ...fields });
    catalog.state.jobs.set(job.id, job);
    return job;
  };

  const run = async (jobId: string, fields: Record<string, unknown> = {}) => {
    const runId = randomUUID();
    const watch = watchRun(nc, runId);
    await requestRun(nc, { runId, jobId, kind: 'backup', ...fields });
    return { runId, watch };
  };

  before(async () => {
    mkdirSync(sources, { recursive: true });
    mkdirSync(restores, { recursive: true });
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'runner-test');
    catalog = standInCatalog(nc);
    runner = await main({
      NATS_URL: nats.url,
      CAIRN_SOURCE_ROOTS: sources,
      CAIRN_RESTORE_ROOT: restores,
      CAIRN_RUNNER_CONCURRENCY: '2',
      CAIRN_RUNNER_NAME: 'test-runner',
      CAIRN_LOG_LEVEL: 'fatal',
      CAIRN_METRICS_PORT: '0',
    });
  });

  after(async () => {
    await runner?.close();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a backup runs end to end: started, progress about twice a second, finished with stats', async () => {
    const job = jobWithData('photos', 4, 4 * 1024 * 1024, { compression: 'max' });
    const { runId, watch } = await run(job.id);
    const finished = await watch.finished(240_000);
    watch.close();

    assert.deepEqual(watch.seen.order, ['started', 'finished']);
    assert.equal(watch.seen.started[0]!.runner, 'test-runner');
    assert.equal(finished.status, 'succeeded', finished.error ?? '');
    assert.equal(finished.stats.filesNew, 4);
    assert.equal(finished.stats.bytesTotal, 16 * 1024 * 1024);
    assert.match(finished.stats.snapshotId!, /^[0-9a-f]{64}$/);
    assert.ok(finished.stats.repositorySize! > 16 * 1024 * 1024, 'random data does not shrink');

    // The pace is the publisher's: gaps by its own clock between the steady ticks, leaving out the
    // last message of each phase (published when the next phase starts, and at the end). How many
    // there are depends on the machine's speed, so only their spacing is asserted.
    const ticks = watch.seen.progress;
    const steady = ticks.filter((tick, i) => ticks[i + 1]?.phase === tick.phase);
    const gaps = steady.slice(1).map((tick, i) => tick.elapsedMs - steady[i]!.elapsedMs);
    console.log(`progress: ${ticks.length} messages, steady gaps ${gaps.join(' ')} ms`);
    assert.ok(ticks.length >= 1, 'progress was published');
    assert.ok(
      gaps.every((gap) => gap >= 450),
      `progress comes at most about twice a second: ${gaps}`,
    );
    assert.ok(ticks.some((tick) => tick.phase === 'backup' && tick.bytesDone > 0 && tick.runId === runId));
    assert.equal(ticks.at(-1)!.bytesDone, 16 * 1024 * 1024);

    // The repository is real and sound, and the catalog got its snapshot list.
    const repo = await Repository.open(openBackend(job.destination.url), job.passphrase);
    assert.deepEqual((await check(repo, { readData: true })).errors, []);
    await repo.close();
    assert.deepEqual(
      catalog.state.synced.get(job.id)!.map((snapshot) => snapshot.id),
      [finished.stats.snapshotId],
    );
    // The event carries the list too, for a catalog that was away to catch up from the stream.
    assert.deepEqual(finished.snapshots, catalog.state.synced.get(job.id));
    // The log tail says what happened and never holds the passphrase.
    assert.ok(finished.logTail.some((line) => line.includes('snapshot') && line.includes('saved')));
    assert.ok(!JSON.stringify(finished).includes(job.passphrase));
  });

  test('a cancel request stops a running backup: status cancelled', async () => {
    // The engine looks at the signal between files, so many small files make the cancel take effect at once.
    const job = jobWithData('cancel', 160, 256 * 1024, { compression: 'max' });
    const { runId, watch } = await run(job.id);
    await watch.until(
      () => watch.seen.progress.some((tick) => tick.bytesDone > 0),
      120_000,
      'backup progress',
    );
    const asked = Date.now();
    nc.publish(SUBJECTS.runCancel(runId), '');
    const finished = await watch.finished(120_000);
    watch.close();
    const tookMs = Date.now() - asked;
    console.log(`cancel took effect after ${tookMs} ms`);
    assert.equal(finished.status, 'cancelled');
    assert.ok(tookMs < 5000, `cancel took ${tookMs} ms`);
    assert.equal(finished.stats.snapshotId, undefined);
  });

  test('a request for a run that already finished is acknowledged and not run again', async () => {
    const job = jobWithData('done', 1, 1024);
    const runId = randomUUID();
    catalog.state.runs.set(runId, 'succeeded');
    const watch = watchRun(nc, runId);
    await requestRun(nc, { runId, jobId: job.id, kind: 'backup' });
    const jsm = await jetstreamManager(nc);
    const deadline = Date.now() + 10_000;
    let info = await jsm.consumers.info(STREAMS.jobs.name, CONSUMERS.runners);
    while ((info.num_pending > 0 || info.num_ack_pending > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      info = await jsm.consumers.info(STREAMS.jobs.name, CONSUMERS.runners);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    watch.close();
    assert.deepEqual([info.num_pending, info.num_ack_pending], [0, 0]);
    assert.deepEqual(watch.seen.order, []);
  });

  test("a backup applies the job's retention; verify reads the data back", async () => {
    const job = jobWithData('retention', 2, 1000, { retention: { keepLast: 1 } });
    const snapshots: string[] = [];
    for (let i = 0; i < 2; i++) {
      writeFileSync(join(job.sources[0]!, 'changing.txt'), `version ${i}`);
      const { watch } = await run(job.id);
      const finished = await watch.finished();
      watch.close();
      assert.equal(finished.status, 'succeeded', finished.error ?? '');
      snapshots.push(finished.stats.snapshotId!);
      assert.ok(finished.logTail.some((line) => /retention removed \d+ snapshots?/.test(line)));
      assert.ok(finished.logTail.some((line) => line.includes('prune freed')));
    }
    assert.deepEqual(
      catalog.state.synced.get(job.id)!.map((snapshot) => snapshot.id),
      [snapshots[1]],
      'keep-last 1 leaves the newest snapshot only',
    );

    const { watch } = await run(job.id, { kind: 'verify', verify: { readData: true } });
    const verified = await watch.finished();
    watch.close();
    assert.equal(verified.status, 'succeeded', verified.error ?? '');
    assert.ok(
      verified.logTail.some((line) => /checked 1 snapshot, read \d+ of \d+ packs?: no errors/.test(line)),
    );
  });

  test("unlock removes a lock a crashed runner left (live by the engine's rule); verify 0% reads no pack", async () => {
    const job = jobWithData('unlock', 2, 1000);
    const backup = await run(job.id);
    assert.equal((await backup.watch.finished()).status, 'succeeded');
    backup.watch.close();
    // A runner that crashed and came back with the same host name and PID: its lock looks alive.
    const repo = await Repository.open(openBackend(job.destination.url), job.passphrase);
    const now = new Date().toISOString();
    const lock = { exclusive: true, host: hostname(), pid: process.pid, username: 'cairn' };
    await repo.saveJson('lock', { ...lock, created: now, refreshed: now });

    const unlocked = await run(job.id, { kind: 'unlock' });
    const finished = await unlocked.watch.finished();
    unlocked.watch.close();
    assert.equal(finished.status, 'succeeded', finished.error ?? '');
    assert.ok(finished.logTail.some((line) => line.includes(`locked exclusively by PID ${process.pid}`)));
    assert.ok(finished.logTail.some((line) => line.endsWith('1 lock removed')));
    assert.deepEqual(await repo.backend.list('lock'), []);
    await repo.close();

    const verify = await run(job.id, { kind: 'verify', verify: { readDataSubset: 0 } });
    const verified = await verify.watch.finished();
    verify.watch.close();
    assert.equal(verified.status, 'succeeded', verified.error ?? '');
    assert.ok(
      verified.logTail.some((line) => /checked 1 snapshot, read 0 of \d+ packs?: no errors/.test(line)),
    );
  });

  test("jobs sharing a destination: one job's retention never judges the other's snapshots", async () => {
    const first = jobWithData('shared-a', 1, 100);
    const second = jobWithData('shared-b', 1, 100, {
      retention: { keepLast: 1 },
      passphrase: first.passphrase,
      destination: first.destination,
    });
    const a = await run(first.id);
    const kept = (await a.watch.finished()).stats.snapshotId!;
    a.watch.close();
    const b = await run(second.id);
    const finished = await b.watch.finished();
    b.watch.close();
    assert.equal(finished.status, 'warning');
    assert.match(
      finished.error!,
      /retention failed: not applied: the repository also holds 1 snapshot of other jobs/,
    );
    assert.deepEqual(
      catalog.state.synced.get(second.id)!.map((snapshot) => snapshot.id),
      [finished.stats.snapshotId],
      "the mirror holds the job's own snapshots only",
    );
    const repo = await Repository.open(openBackend(first.destination.url), first.passphrase);
    assert.deepEqual(
      (await listSnapshots(repo)).map((snapshot) => snapshot.id).sort(),
      [kept, finished.stats.snapshotId].sort(),
    );
    await repo.close();
  });

  test('source guard: an emptied or shrunken source skips retention, a missing one fails the run', async () => {
    const job = jobWithData('guarded', 10, 100);
    const backup = async () => {
      const { watch } = await run(job.id);
      const finished = await watch.finished();
      watch.close();
      return finished;
    };
    const snapshotsInRepository = async () => {
      const repo = await Repository.open(openBackend(job.destination.url), job.passphrase);
      const ids = (await listSnapshots(repo)).map((snapshot) => snapshot.id);
      await repo.close();
      return ids;
    };
    for (let i = 0; i < 2; i++) {
      writeFileSync(join(job.sources[0]!, 'file-0.bin'), `version ${i}`);
      assert.equal((await backup()).status, 'succeeded');
    }
    const before = await snapshotsInRepository();
    assert.equal(before.length, 2);
    // From now on keep-last 1 would delete the older snapshot at the end of every backup.
    job.retention = { keepLast: 1 };

    // A share not mounted: its mount point is an empty folder.
    const folder = job.sources[0]!;
    const moved = `${folder}-away`;
    renameSync(folder, moved);
    mkdirSync(folder);
    const empty = await backup();
    assert.equal(empty.status, 'warning');
    assert.equal(
      empty.error,
      `source ${folder} is an empty folder (a share that is not mounted yet?): nothing backed up, retention and prune skipped`,
    );
    assert.ok(empty.logTail.some((line) => line.includes('is an empty folder')));
    assert.deepEqual(await snapshotsInRepository(), before, 'no snapshot made, none removed');

    // Far fewer files than the parent snapshot: the backup is kept, retention is not applied.
    rmSync(folder, { recursive: true });
    renameSync(moved, folder);
    for (let i = 2; i < 10; i++) rmSync(join(folder, `file-${i}.bin`));
    const shrunk = await backup();
    assert.equal(shrunk.status, 'warning');
    assert.match(
      shrunk.error!,
      /^snapshot [0-9a-f]{8} holds 2 files, its parent [0-9a-f]{8} held 10 \(fewer than 50 %\).*: retention and prune skipped$/,
    );
    assert.deepEqual((await snapshotsInRepository()).sort(), [...before, shrunk.stats.snapshotId!].sort());

    // A mistyped or vanished source: the run fails.
    rmSync(folder, { recursive: true });
    const missing = await backup();
    assert.equal(missing.status, 'failed');
    assert.equal(missing.failedAtStart, false, 'the repository opened: the run failed along the way');
    assert.match(
      missing.error!,
      /^source .* does not exist \(a share that is not mounted, or a mistyped path\?\)/,
    );
    assert.equal((await snapshotsInRepository()).length, 3, 'every snapshot is still there');
  });

  test('a wrong passphrase fails the run with a clear error', async () => {
    const job = jobWithData('password', 1, 1024);
    const first = await run(job.id);
    assert.equal((await first.watch.finished()).status, 'succeeded');
    first.watch.close();
    catalog.state.jobs.set(job.id, { ...job, passphrase: 'not-the-passphrase' });
    const second = await run(job.id);
    const finished = await second.watch.finished();
    second.watch.close();
    assert.equal(finished.status, 'failed');
    assert.match(finished.error!, /passphrase does not open/);
    assert.equal(finished.failedAtStart, true);
    assert.ok(!JSON.stringify(finished).includes('not-the-passphrase'));
  });

  test('restore writes below the restore root, and a target that climbs out is refused', async () => {
    const job = jobWithData('docs', 2, 1000);
    const backup = await run(job.id);
    const snapshotId = (await backup.watch.finished()).stats.snapshotId!;
    backup.watch.close();

    const restore = await run(job.id, {
      kind: 'restore',
      restore: { snapshotId, target: 'out', include: [] },
    });
    const restored = await restore.watch.finished();
    restore.watch.close();
    assert.equal(restored.status, 'succeeded', restored.error ?? '');
    const copy = join(restores, 'out', job.sources[0]!);
    assert.deepEqual(readdirSync(copy).sort(), ['file-0.bin', 'file-1.bin']);
    assert.deepEqual(
      readFileSync(join(copy, 'file-1.bin')),
      readFileSync(join(job.sources[0]!, 'file-1.bin')),
    );

    const escape = await run(job.id, {
      kind: 'restore',
      restore: { snapshotId, target: '../escape', include: [] },
    });
    const refused = await escape.watch.finished();
    escape.watch.close();
    assert.equal(refused.status, 'failed');
    assert.match(refused.error!, /must not contain \.\./);
    assert.deepEqual(readdirSync(dir).sort(), ['repos', 'restore', 'source']);
  });

  test("a job's bandwidth limits pace its backup and its restore, and its run log says them", async () => {
    // 2 MiB of random data cannot go up in under 4 s at 512 KiB/s, nor come back in under 2 s at 1 MiB/s.
    const job = jobWithData('limited', 2, 1024 * 1024, { limits: { uploadKiBps: 512, downloadKiBps: 1024 } });
    const backup = await run(job.id);
    const backedUp = await backup.watch.finished(60_000);
    backup.watch.close();
    assert.equal(backedUp.status, 'succeeded', backedUp.error ?? '');
    const seconds = (run: { startedAt: string; finishedAt: string }) =>
      (Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000;
    assert.ok(seconds(backedUp) >= 3.9, `the backup took ${seconds(backedUp)} s`);
    assert.ok(
      backedUp.logTail.some((line) =>
        line.includes('bandwidth limited: upload 512 KiB/s, download 1024 KiB/s'),
      ),
      backedUp.logTail.join('\n'),
    );

    const restore = await run(job.id, {
      kind: 'restore',
      restore: { snapshotId: backedUp.stats.snapshotId, target: 'limited', include: [] },
    });
    const restored = await restore.watch.finished(60_000);
    restore.watch.close();
    assert.equal(restored.status, 'succeeded', restored.error ?? '');
    assert.ok(seconds(restored) >= 1.9, `the restore took ${seconds(restored)} s`);
  });

  test('a cancel ends a backup waiting on its upload limit, without sitting out the budget', async () => {
    // 1 MiB packs at 16 KiB/s book a minute each: the backup soon waits on its uploads, and would for
    // eight minutes; the watch's timeout fails a cancel that waited them out.
    const job = jobWithData('limited-cancel', 8, 1024 * 1024, {
      packSizeMiB: 1,
      limits: { uploadKiBps: 16 },
    });
    const { runId, watch } = await run(job.id);
    await watch.until(
      () => watch.seen.progress.some((tick) => tick.bytesDone > 0),
      30_000,
      'backup progress',
    );
    nc.publish(SUBJECTS.runCancel(runId), '');
    const finished = await watch.finished(30_000);
    watch.close();
    assert.equal(finished.status, 'cancelled', finished.error ?? '');
    assert.equal(finished.stats.snapshotId, undefined);
  });

  test('a repair run rebuilds a lost index from the packs, and the repository checks sound again', async () => {
    const job = jobWithData('repair', 2, 64 * 1024);
    const backup = await run(job.id);
    assert.equal((await backup.watch.finished()).status, 'succeeded');
    backup.watch.close();
    const indexFolder = join(job.destination.url, 'index');
    for (const name of readdirSync(indexFolder)) rmSync(join(indexFolder, name));

    const repair = await run(job.id, { kind: 'repair' });
    const repaired = await repair.watch.finished();
    repair.watch.close();
    assert.equal(repaired.status, 'succeeded', repaired.error ?? '');
    assert.ok(
      repaired.logTail.some((line) => /index rebuilt from \d+ packs?$/.test(line)),
      repaired.logTail.join('\n'),
    );
    assert.equal(readdirSync(indexFolder).length, 1);
    const repo = await Repository.open(openBackend(job.destination.url), job.passphrase);
    assert.deepEqual((await check(repo, { readData: true })).errors, []);
    await repo.close();
  });

  test('a job whose sources lie outside the source roots is refused', async () => {
    const job = resolvedJob({ sources: [dir], url: join(dir, 'repos', 'outside') });
    catalog.state.jobs.set(job.id, job);
    const { watch } = await run(job.id);
    const finished = await watch.finished();
    watch.close();
    assert.equal(finished.status, 'failed');
    assert.match(finished.error!, /outside the source folders/);
  });

  test('health answers while the folders are there, and names the one that is gone', async () => {
    assert.deepEqual(await request(nc, RUNNER.health, {}), { ok: true });
    rmSync(restores, { recursive: true });
    try {
      await assert.rejects(request(nc, RUNNER.health, {}), (error: Error) => {
        assert.match(error.message, new RegExp(`${restores} does not exist`));
        return true;
      });
    } finally {
      mkdirSync(restores, { recursive: true });
    }
  });

  test('browse lists the roots and folders below them, and refuses everything else', async () => {
    mkdirSync(join(sources, 'browse', 'inner'), { recursive: true });
    writeFileSync(join(sources, 'browse', 'a.txt'), 'hello');
    symlinkSync('/etc', join(sources, 'browse', 'etc-link'));
    const roots = await request(nc, RUNNER.browse, { path: '/' });
    assert.deepEqual(
      roots.map((entry) => [entry.path, entry.type]),
      [[sources, 'dir']],
    );
    const listed = await request(nc, RUNNER.browse, { path: join(sources, 'browse') });
    assert.deepEqual(
      listed.map((entry) => [entry.name, entry.type, entry.size]),
      [
        ['inner', 'dir', undefined],
        ['a.txt', 'file', 5],
        ['etc-link', 'symlink', undefined],
      ],
    );
    for (const path of ['/etc', `${sources}/../`, join(sources, 'browse', 'etc-link'), 'relative/path']) {
      await assert.rejects(
        request(nc, RUNNER.browse, { path }),
        (error: RemoteError) => error.body.code === 'bad-request',
        path,
      );
    }
  });

  test('the tree of a snapshot is listed folder by folder', async () => {
    const job = jobWithData('tree', 2, 10);
    const { watch } = await run(job.id);
    const snapshotId = (await watch.finished()).stats.snapshotId!;
    watch.close();
    const top = await request(nc, RUNNER.snapshotTree, { jobId: job.id, snapshotId, path: '/' });
    assert.equal(top.length, 1);
    const folder = await request(nc, RUNNER.snapshotTree, {
      jobId: job.id,
      snapshotId,
      path: job.sources[0]!,
    });
    assert.deepEqual(
      folder.map((entry) => [entry.path, entry.type, entry.size]),
      [
        [`${job.sources[0]}/file-0.bin`, 'file', 10],
        [`${job.sources[0]}/file-1.bin`, 'file', 10],
      ],
    );
    assert.ok(Math.abs(Date.parse(folder[0]!.mtime) - Date.now()) < 60_000);
    await assert.rejects(
      request(nc, RUNNER.snapshotTree, { jobId: job.id, snapshotId, path: '/nope' }),
      (error: RemoteError) => error.body.code === 'not-found',
    );
  });

  test('a destination test writes, reads back and removes a file, leaves nothing, and names what is wrong', async () => {
    const good = await request(nc, RUNNER.testDestination, { url: join(dir, 'repos', 'probe'), options: {} });
    assert.equal(good.ok, true, good.message);
    assert.ok(good.latencyMs >= 0);
    assert.ok(!existsSync(join(dir, 'repos', 'probe')), 'a folder the test made is gone again');
    mkdirSync(join(dir, 'repos', 'empty'), { recursive: true });
    const inEmpty = await request(nc, RUNNER.testDestination, {
      url: join(dir, 'repos', 'empty'),
      options: {},
    });
    assert.equal(inEmpty.ok, true, inEmpty.message);
    assert.deepEqual(readdirSync(join(dir, 'repos', 'empty')), [], 'an empty folder stays, and stays empty');
    const nested = await request(nc, RUNNER.testDestination, {
      url: join(dir, 'repos', 'new', 'deeper', 'probe'),
      options: {},
    });
    assert.equal(nested.ok, true, nested.message);
    assert.ok(!existsSync(join(dir, 'repos', 'new')), 'the parent folders the test made are gone too');
    // Node's recursive mkdir spins forever under /proc; the test answers in words instead.
    const proc = await request(nc, RUNNER.testDestination, { url: '/proc/cairn/probe', options: {} });
    assert.equal(proc.ok, false);
    assert.match(proc.message, /cannot create the folder \/proc\/cairn/);

    const unreachable = await request(
      nc,
      RUNNER.testDestination,
      {
        url: 's3+http://127.0.0.1:1/bucket',
        options: {},
        secrets: { AWS_ACCESS_KEY_ID: 'ID-4711', AWS_SECRET_ACCESS_KEY: 'SECRET-4711' },
      },
      20_000,
    );
    assert.equal(unreachable.ok, false);
    assert.ok(unreachable.message.length > 0);
    assert.ok(!/4711/.test(unreachable.message), unreachable.message);
    console.log(`unreachable destination: ${unreachable.message}`);
  });

  test('a saved destination is tested by id: the runner fetches its secrets itself', async () => {
    const id = randomUUID();
    catalog.state.destinations.set(id, { url: join(dir, 'repos', 'saved-probe'), options: {}, secrets: {} });
    const saved = await request(nc, RUNNER.testSavedDestination, { id });
    assert.equal(saved.ok, true, saved.message);
    await assert.rejects(
      request(nc, RUNNER.testSavedDestination, { id: randomUUID() }),
      (error: RemoteError) => error.body.code === 'not-found' && /no such destination/.test(error.message),
    );
  });
});
