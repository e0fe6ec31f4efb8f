import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connectNats, ensureStreams, type NatsConnection } from '@cairn/contracts';
import { check, openBackend, Repository } from '@cairn/engine';
import { main } from '../src/main.js';
import { requestRun, watchRun } from './run-watch.js';
import { resolvedJob, standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;

// The one entrypoint of the image, as in production (deploy/cairn-server.mjs).
const SERVER = fileURLToPath(new URL('../../../../deploy/cairn-server.mjs', import.meta.url));
const MiB = 1024 * 1024;

/** Runners stopped and killed mid-backup, each a process of its own as in production. */
describe('a runner that stops or dies mid-run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-runner-stop-'));
  const sources = join(dir, 'source');
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;

  const env = (name: string, extra: Record<string, string> = {}) => ({
    NATS_URL: nats.url,
    CAIRN_SOURCE_ROOTS: sources,
    CAIRN_RESTORE_ROOT: join(dir, 'restore'),
    CAIRN_RUNNER_NAME: name,
    CAIRN_LOG_LEVEL: 'warn',
    CAIRN_METRICS_PORT: '0',
    ...extra,
  });

  const startRunner = (name: string, extra: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [SERVER, 'runner'], {
      env: { PATH: process.env.PATH, ...env(name, extra) },
    });
    const output: string[] = [];
    child.stdout.on('data', (data: Buffer) => output.push(data.toString()));
    child.stderr.on('data', (data: Buffer) => output.push(data.toString()));
    const exited = new Promise<number | string>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
    );
    return { child, output, exited };
  };

  /** 40 MiB of random files that `max` compression turns into a backup of several seconds. */
  const slowJob = (name: string, files = 160) => {
    const folder = join(sources, name);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < files; i++) writeFileSync(join(folder, `${i}.bin`), randomBytes(256 * 1024));
    const job = resolvedJob({ sources: [folder], url: join(dir, 'repos', name), compression: 'max' });
    catalog.state.jobs.set(job.id, job);
    return job;
  };

  /** The packs in a repository, as the backend lists them: never a half-written temporary file. */
  const packsIn = async (repository: string) => (await openBackend(repository).list('pack')).length;

  before(async () => {
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'runner-stop-test');
    await ensureStreams(nc);
    catalog = standInCatalog(nc);
  });

  after(async () => {
    catalog?.close();
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SIGTERM lets the running backup finish, then the runner exits 0', async () => {
    const runner = startRunner('graceful', { CAIRN_RUNNER_GRACE_MS: '60000' });
    const job = slowJob('graceful', 40);
    const runId = randomUUID();
    const watch = watchRun(nc, runId);
    await requestRun(nc, { runId, jobId: job.id, kind: 'backup' });
    await watch.until(() => watch.seen.progress.some((tick) => tick.bytesDone > 0), 120_000, 'progress');
    runner.child.kill('SIGTERM');
    const finished = await watch.finished(240_000);
    watch.close();
    assert.equal(finished.status, 'succeeded', runner.output.join(''));
    assert.equal(await runner.exited, 0, runner.output.join(''));
  });

  test('after the grace period the run is aborted and handed back at once, not reported', async () => {
    // An ack wait far beyond every wait below: a run that comes back before it was handed back.
    const patientAckWait = { CAIRN_RUNNER_ACK_WAIT_MS: '900000' };
    const stopping = startRunner('impatient', { CAIRN_RUNNER_GRACE_MS: '300', ...patientAckWait });
    const job = slowJob('impatient');
    const runId = randomUUID();
    const watch = watchRun(nc, runId);
    await requestRun(nc, { runId, jobId: job.id, kind: 'backup' });
    await watch.until(
      () => watch.seen.progress.some((tick) => tick.bytesDone > 2 * MiB),
      120_000,
      'progress',
    );
    stopping.child.kill('SIGTERM');
    assert.equal(await stopping.exited, 0, stopping.output.join(''));
    assert.deepEqual(watch.seen.order, ['started']);

    const handedBack = Date.now();
    const next = await main(env('next', patientAckWait));
    try {
      await watch.until(() => watch.seen.started[1], 240_000, 'the handed-back run');
      console.log(
        `handed back: the next runner started it ${Date.now() - handedBack} ms after starting itself`,
      );
      const finished = await watch.finished(240_000);
      assert.equal(finished.status, 'succeeded');
      assert.deepEqual(watch.seen.order, ['started', 'started', 'finished']);
      assert.ok(
        finished.logTail.some((line) => /reused \d+ packs? left/.test(line)),
        finished.logTail.join('\n'),
      );
    } finally {
      watch.close();
      await next.close();
    }
  });

  test('a runner killed mid-backup: the request is redelivered and the next runner reuses the packs', async () => {
    // A short ack wait: the kill is noticed after it, so the test need not sit out the default minute.
    const quickAckWait = { CAIRN_RUNNER_ACK_WAIT_MS: '5000' };
    const doomed = startRunner('doomed', quickAckWait);
    const job = slowJob('killed');
    const runId = randomUUID();
    const watch = watchRun(nc, runId);
    await requestRun(nc, { runId, jobId: job.id, kind: 'backup' });
    await watch.until(
      () => watch.seen.progress.some((tick) => tick.bytesDone > 12 * MiB),
      120_000,
      'progress',
    );
    doomed.child.kill('SIGKILL');
    const killedAt = Date.now();
    assert.equal(await doomed.exited, 'SIGKILL');
    const packsLeft = await packsIn(job.destination.url);
    assert.ok(packsLeft > 0, 'the killed backup had uploaded packs');

    const survivor = await main(env('survivor', quickAckWait));
    try {
      await watch.until(() => watch.seen.started[1], 240_000, 'the redelivered run');
      const redeliveredAfterS = (Date.now() - killedAt) / 1000;
      const finished = await watch.finished(240_000);
      console.log(
        `redelivered ${redeliveredAfterS.toFixed(1)} s after the kill; ${packsLeft} packs left behind; ` +
          `second backup added ${(finished.stats.bytesAdded! / MiB).toFixed(1)} MiB of ${finished.stats.bytesTotal! / MiB} MiB`,
      );
      assert.equal(finished.status, 'succeeded', finished.error ?? '');
      assert.equal(watch.seen.started[1]!.runner, 'survivor');
      assert.ok(
        finished.logTail.some((line) => line.includes(`reused ${packsLeft} pack`)),
        finished.logTail.join('\n'),
      );
      assert.ok(finished.stats.bytesAdded! < 40 * MiB - 10 * MiB, `added ${finished.stats.bytesAdded} bytes`);
      const repo = await Repository.open(openBackend(job.destination.url), job.passphrase);
      assert.deepEqual((await check(repo, { readData: true })).errors, []);
      await repo.close();
    } finally {
      watch.close();
      await survivor.close();
    }
  });
});
