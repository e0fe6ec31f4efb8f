import { fileURLToPath } from 'node:url';
// The catalog's /metrics: a real scrape over HTTP of the runs it recorded in PostgreSQL from run events.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import {
  CATALOG,
  SUBJECTS,
  type Job,
  type RunFinished,
  type RunStats,
  type RunStatus,
} from '@cairn/contracts';
import { CatalogServer } from '../src/catalog.server.js';
import { loadCatalogConfig } from '../src/config.js';
import { main } from '../src/main.js';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { query } from './support/database.js';
import { destinationInput, jobInput } from './support/fixtures.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

/** One sample of the text format: `name{label="value",…} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

/** The one sample of `name` whose labels include `labels`. */
function sample(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  assert.ok(found.length <= 1, `one ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]?.value;
}

describe('the catalog’s /metrics', () => {
  let catalog: TestCatalog;
  let url: string;
  let daily: Job;
  let neverRan: Job;
  before(async () => {
    catalog = await startCatalog('metrics');
    url = catalog.app.get(CatalogServer).metricsUrl!;
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    daily = await catalog.call(CATALOG.jobs.create, jobInput(destination.id, { repositoryPath: 'daily' }));
    neverRan = await catalog.call(
      CATALOG.jobs.create,
      jobInput(destination.id, { repositoryPath: 'never', schedule: null, overdueAfterMinutes: 60 }),
    );
    // Created three days ago and never succeeded since: past its 60 minutes.
    await query(catalog.databaseUrl, `UPDATE jobs SET created_at = now() - interval '3 days' WHERE id = $1`, [
      neverRan.id,
    ]);
  });
  after(() => catalog?.stop());

  /** A backup run of the daily job, queued, then finished by a run event, as the runner reports it. */
  async function backup(status: RunStatus, finishedAt: Date, stats: RunStats): Promise<void> {
    const id = randomUUID();
    await catalog.call(CATALOG.runs.create, { id, jobId: daily.id, kind: 'backup', trigger: 'schedule' });
    const event: RunFinished = {
      runId: id,
      jobId: daily.id,
      kind: 'backup',
      status,
      startedAt: new Date(finishedAt.getTime() - 90_000).toISOString(),
      finishedAt: finishedAt.toISOString(),
      stats,
      error: status === 'failed' ? 'destination unreachable' : null,
      failedAtStart: false,
      logTail: [],
    };
    await jetstream(catalog.nc).publish(SUBJECTS.runFinished, JSON.stringify(event));
    await eventually(async () => assert.equal((await catalog.call(CATALOG.runs.get, { id })).status, status));
  }

  const scrape = async () => {
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parse(await response.text());
  };

  test('per job: the last run’s status and duration, the last success, what it added, the repository size', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const tenMinutesAgo = new Date(Date.now() - 600_000);
    await backup('succeeded', hourAgo, {
      filesNew: 3,
      filesChanged: 2,
      filesUnmodified: 10,
      bytesAdded: 1024,
      repositorySize: 4096,
    });
    await backup('failed', tenMinutesAgo, {});

    const samples = await scrape();
    const job = { job_id: daily.id, job_name: daily.name };
    const backupRun = { ...job, kind: 'backup' };
    assert.equal(sample(samples, 'cairn_job_last_run_status', { ...backupRun, status: 'failed' }), 1);
    assert.equal(sample(samples, 'cairn_job_last_run_status', { ...backupRun, status: 'succeeded' }), 0);
    assert.equal(
      sample(samples, 'cairn_job_last_run_timestamp_seconds', backupRun),
      tenMinutesAgo.getTime() / 1000,
    );
    assert.equal(sample(samples, 'cairn_job_last_run_duration_seconds', backupRun), 90);
    // The failure leaves the last success, and what it backed up, as they were.
    assert.equal(
      sample(samples, 'cairn_job_last_success_timestamp_seconds', backupRun),
      hourAgo.getTime() / 1000,
    );
    assert.equal(sample(samples, 'cairn_job_last_backup_added_bytes', job), 1024);
    assert.equal(sample(samples, 'cairn_job_last_backup_files', { ...job, change: 'new' }), 3);
    assert.equal(sample(samples, 'cairn_job_last_backup_files', { ...job, change: 'changed' }), 2);
    assert.equal(sample(samples, 'cairn_job_last_backup_files', { ...job, change: 'unmodified' }), 10);
    assert.equal(sample(samples, 'cairn_job_repository_size_bytes', job), 4096);
    assert.equal(sample(samples, 'cairn_job_enabled', job), 1);
    // Daily at 02:30: overdue after two days; the last success is an hour old.
    assert.equal(sample(samples, 'cairn_job_overdue_after_seconds', job), 2 * 86_400);
    assert.equal(sample(samples, 'cairn_job_overdue', job), 0);
  });

  test('a job that never succeeded is overdue from its creation; it has no last-run series', async () => {
    const samples = await scrape();
    const job = { job_id: neverRan.id, job_name: neverRan.name };
    assert.equal(sample(samples, 'cairn_job_overdue_after_seconds', job), 3600);
    assert.equal(sample(samples, 'cairn_job_overdue', job), 1);
    assert.equal(sample(samples, 'cairn_job_last_run_status', { ...job, status: 'failed' }), undefined);
    assert.equal(sample(samples, 'cairn_job_last_success_timestamp_seconds', job), undefined);
  });

  test('the process’s own series come along; other paths are not found', async () => {
    const samples = await scrape();
    const started = sample(samples, 'process_start_time_seconds', {});
    assert.ok(started && started <= Date.now() / 1000, `process_start_time_seconds ${started}`);
    assert.ok(samples.some((s) => s.name === 'nodejs_heap_size_used_bytes'));
    assert.equal((await fetch(new URL('/', url))).status, 404);
    assert.equal((await fetch(url, { method: 'POST' })).status, 405);
  });

  test('a bad CAIRN_METRICS_PORT stops the start, naming it; so does a port already taken', async () => {
    assert.throws(
      () => loadCatalogConfig({ ...catalog.env, CAIRN_METRICS_PORT: '70000' }),
      /CAIRN_METRICS_PORT: .*\(got "70000"\)/,
    );
    const taken = new URL(url).port;
    await assert.rejects(
      main({
        env: { ...catalog.env, CAIRN_METRICS_PORT: taken },
        logDestination: { write: () => undefined },
      }),
      new RegExp(
        `cannot serve metrics on 127\\.0\\.0\\.1:${taken}: EADDRINUSE \\(the port is taken: set CAIRN_METRICS_PORT`,
      ),
    );
  });
});
