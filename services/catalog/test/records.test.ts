import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CATALOG, type Job, type SnapshotRecord } from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { destinationInput, jobInput } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';

describe('snapshot records, settings and the admin user', () => {
  let catalog: TestCatalog;
  let job: Job;
  before(async () => {
    catalog = await startCatalog('records');
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
  });
  after(() => catalog?.stop());

  const snapshot = (n: number, jobId = job.id): SnapshotRecord => ({
    id: n.toString(16).padStart(64, '0'),
    jobId,
    time: new Date(Date.UTC(2026, 0, n)).toISOString(),
    host: 'nas',
    paths: ['/source/photos'],
    tags: n % 2 ? ['nightly'] : [],
    summary: n === 1 ? null : { filesNew: n, bytesAdded: n * 1000 },
  });

  test('sync replaces a job’s snapshot mirror; list returns it newest first', async () => {
    assert.deepEqual(await catalog.call(CATALOG.snapshots.list, { jobId: job.id }), []);
    assert.deepEqual(
      await catalog.call(CATALOG.snapshots.sync, {
        jobId: job.id,
        snapshots: [1, 2, 3].map((n) => snapshot(n)),
      }),
      { count: 3 },
    );
    // After a prune the repository holds fewer snapshots; the mirror follows.
    await catalog.call(CATALOG.snapshots.sync, { jobId: job.id, snapshots: [3, 4].map((n) => snapshot(n)) });
    assert.deepEqual(await catalog.call(CATALOG.snapshots.list, { jobId: job.id }), [
      snapshot(4),
      snapshot(3),
    ]);
  });

  test('sync refuses snapshots of another job and unknown jobs', async () => {
    await rejectsWith(
      catalog.call(CATALOG.snapshots.sync, {
        jobId: job.id,
        snapshots: [snapshot(1), snapshot(2, randomUUID())],
      }),
      'bad-request',
      'snapshots.1.jobId',
    );
    const stranger = randomUUID();
    await rejectsWith(catalog.call(CATALOG.snapshots.sync, { jobId: stranger, snapshots: [] }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.snapshots.list, { jobId: stranger }), 'not-found');
  });

  test('settings: update merges keys, null removes one, values keep their JSON type', async () => {
    assert.deepEqual(await catalog.call(CATALOG.settings.get, {}), {});
    await catalog.call(CATALOG.settings.update, { theme: 'dark', retries: 3, ui: { compact: true } });
    const updated = await catalog.call(CATALOG.settings.update, { retries: null, locale: 'de' });
    assert.deepEqual(updated, { theme: 'dark', ui: { compact: true }, locale: 'de' });
    assert.deepEqual(await catalog.call(CATALOG.settings.get, {}), updated);
  });

  test('admin: no password hash until one is set, then the latest', async () => {
    assert.deepEqual(await catalog.call(CATALOG.admin.get, {}), { passwordHash: null });
    await catalog.call(CATALOG.admin.setPassword, { passwordHash: '$argon2id$v=19$first' });
    await catalog.call(CATALOG.admin.setPassword, { passwordHash: '$argon2id$v=19$second' });
    assert.deepEqual(await catalog.call(CATALOG.admin.get, {}), { passwordHash: '$argon2id$v=19$second' });
  });
});
