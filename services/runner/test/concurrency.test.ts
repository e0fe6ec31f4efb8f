import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  connectNats,
  CONSUMERS,
  ensureStreams,
  STREAMS,
  type NatsConnection,
  type ResolvedJob,
  type RunFinished,
} from '@cairn/contracts';
import { check, listSnapshots, openBackend, Repository, type Backend } from '@cairn/engine';
import { requestRun, watchRun } from './run-watch.js';
import { resolvedJob, standInCatalog } from './stand-in-catalog.js';

type Services = typeof import('../../../test/support/services.mjs');
const services = (await import(
  fileURLToPath(new URL('../../../../test/support/services.mjs', import.meta.url))
)) as Services;
type S3Support = typeof import('../../../test/support/s3-server.mjs');
const { startS3 } = (await import(
  fileURLToPath(new URL('../../../../test/support/s3-server.mjs', import.meta.url))
)) as S3Support;

// The one entrypoint of the image, as in production (deploy/cairn-server.mjs).
const SERVER = fileURLToPath(new URL('../../../../deploy/cairn-server.mjs', import.meta.url));
const RUNS = 5;

/**
 * Several first runs of a new job at once, on two runner processes with two workers each: the
 * runs take turns (issue 11, item 1), so the repository is made once and every snapshot is readable.
 */
describe('simultaneous runs of one job on two runners', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-runner-turns-'));
  const sources = join(dir, 'source');
  let nats: Awaited<ReturnType<Services['privateNats']>>;
  let nc: NatsConnection;
  let catalog: ReturnType<typeof standInCatalog>;
  let s3: Awaited<ReturnType<typeof startS3>>;
  const runners: ChildProcess[] = [];

  const startRunner = (name: string) => {
    const child = spawn(process.execPath, [SERVER, 'runner'], {
      env: {
        PATH: process.env.PATH,
        NATS_URL: nats.url,
        CAIRN_SOURCE_ROOTS: sources,
        CAIRN_RESTORE_ROOT: join(dir, 'restore'),
        CAIRN_RUNNER_NAME: name,
        CAIRN_RUNNER_CONCURRENCY: '2',
        CAIRN_LOG_LEVEL: 'warn',
        CAIRN_METRICS_PORT: '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    runners.push(child);
  };

  const newJob = (name: string, url: string, secrets: Record<string, string> = {}) => {
    const folder = join(sources, name);
    mkdirSync(folder, { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(folder, `${i}.bin`), randomBytes(64 * 1024));
    const job = resolvedJob({ sources: [folder], url, packSizeMiB: 1 });
    job.destination.secrets = secrets;
    catalog.state.jobs.set(job.id, job);
    return job;
  };

  /** Sends every request before any runner could finish one, then waits for all to finish. */
  const runAtOnce = async (job: ResolvedJob): Promise<RunFinished[]> => {
    const runIds = Array.from({ length: RUNS }, () => randomUUID());
    const watches = runIds.map((runId) => watchRun(nc, runId));
    await Promise.all(runIds.map((runId) => requestRun(nc, { runId, jobId: job.id, kind: 'backup' })));
    try {
      return await Promise.all(watches.map((watch) => watch.finished(120_000)));
    } finally {
      for (const watch of watches) watch.close();
    }
  };

  const assertTurnsAndOneRepository = async (finished: RunFinished[], backend: Backend, job: ResolvedJob) => {
    for (const run of finished) assert.equal(run.status, 'succeeded', run.error ?? '');
    const byStart = [...finished].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < byStart.length; i++) {
      assert.ok(
        byStart[i]!.startedAt >= byStart[i - 1]!.finishedAt,
        `run ${i + 1} started at ${byStart[i]!.startedAt}, before run ${i} finished at ${byStart[i - 1]!.finishedAt}`,
      );
    }
    assert.equal((await backend.list('key')).length, 1, 'one key: the repository was made once');
    const repo = await Repository.open(backend, job.passphrase);
    try {
      const ids = (await listSnapshots(repo)).map((snapshot) => snapshot.id).sort();
      assert.deepEqual(
        ids,
        finished.map((run) => run.stats.snapshotId!).sort(),
        'every snapshot is readable',
      );
      assert.deepEqual((await check(repo, { readData: true })).errors, []);
    } finally {
      await repo.close();
    }
  };

  before(async () => {
    mkdirSync(sources, { recursive: true });
    nats = await services.privateNats();
    nc = await connectNats(nats.url, 'runner-turns-test');
    catalog = standInCatalog(nc);
    s3 = await startS3();
    startRunner('runner-a');
    startRunner('runner-b');
    // Both runners pull, each for as many requests as it has free workers, before any request is sent.
    const jsm = await ensureStreams(nc);
    // The runners create their consumer as they start.
    const waiting = () =>
      jsm.consumers.info(STREAMS.jobs.name, CONSUMERS.runners).then(
        (info) => info.num_waiting,
        () => 0,
      );
    while ((await waiting()) < 2) await sleep(100);
  });

  after(async () => {
    for (const child of runners) child.kill('SIGKILL');
    await s3?.stop();
    catalog?.close();
    await nc?.close();
    await nats?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test(`${RUNS} first runs of a new job to a folder run one after the other`, async () => {
    const url = join(dir, 'repos', 'folder');
    const job = newJob('folder', url);
    await assertTurnsAndOneRepository(await runAtOnce(job), openBackend(url), job);
  });

  test(`${RUNS} first runs of a new job to S3 run one after the other`, async () => {
    const url = s3.url(`turns-${randomUUID()}`);
    const job = newJob('s3', url, s3.env);
    await assertTurnsAndOneRepository(await runAtOnce(job), openBackend(url, { env: s3.env }), job);
  });
});
