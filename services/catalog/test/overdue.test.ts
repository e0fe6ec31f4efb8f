import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CATALOG, type Job } from '@cairn/contracts';
import { openDatabase } from '../src/database/open-database.js';
import { OverdueLapses1795800000000 as OverdueLapses } from '../src/migrations/1795800000000-overdue-lapses.js';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { query } from './support/database.js';
import { destinationInput, jobInput } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';

describe('the notifier’s overdue lapses', () => {
  let catalog: TestCatalog;
  let photos: Job;
  let music: Job;
  before(async () => {
    catalog = await startCatalog('overdue');
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    photos = await catalog.call(CATALOG.jobs.create, jobInput(destination.id, { name: 'photos' }));
    music = await catalog.call(CATALOG.jobs.create, jobInput(destination.id, { name: 'music' }));
  });
  after(() => catalog?.stop());

  const since = '2030-01-01T02:00:00.000Z';

  test('one lapse per job, replaced by the next, cleared once; never in the settings', async () => {
    await catalog.call(CATALOG.overdue.set, { jobId: photos.id, since, thresholdMinutes: 60 });
    await catalog.call(CATALOG.overdue.set, {
      jobId: photos.id,
      since: '2030-01-02T02:00:00.000Z',
      thresholdMinutes: 90,
    });
    assert.deepEqual(await catalog.call(CATALOG.overdue.list, {}), [
      { jobId: photos.id, since: '2030-01-02T02:00:00.000Z', thresholdMinutes: 90 },
    ]);
    assert.deepEqual(await catalog.call(CATALOG.settings.get, {}), {});
    assert.deepEqual(await catalog.call(CATALOG.overdue.clear, { jobId: photos.id }), { removed: true });
    assert.deepEqual(await catalog.call(CATALOG.overdue.clear, { jobId: photos.id }), { removed: false });
    assert.deepEqual(await catalog.call(CATALOG.overdue.list, {}), []);
  });

  test('a lapse of an unknown job is refused; a removed job takes its lapse with it', async () => {
    await rejectsWith(
      catalog.call(CATALOG.overdue.set, { jobId: randomUUID(), since, thresholdMinutes: 60 }),
      'not-found',
    );
    await catalog.call(CATALOG.overdue.set, { jobId: music.id, since, thresholdMinutes: 60 });
    await catalog.call(CATALOG.jobs.remove, { id: music.id });
    assert.deepEqual(await catalog.call(CATALOG.overdue.list, {}), []);
  });

  test('the migration moves the lapses the notifier kept in the settings, and drops the rest', async () => {
    const database = await openDatabase(catalog.databaseUrl);
    try {
      // Back to just before the overdue migration, however many came after it.
      const applied = async () =>
        (
          await query(catalog.databaseUrl, `SELECT 1 FROM migrations WHERE name = $1`, [
            new OverdueLapses().name,
          ])
        ).length > 0;
      while (await applied()) await database.undoLastMigration({ transaction: 'all' });
      const settings = {
        [`notifier.overdue.${photos.id}`]: { since, thresholdMinutes: 120 },
        // Of a job that is gone, and a value nobody but a person could have written.
        [`notifier.overdue.${randomUUID()}`]: { since, thresholdMinutes: 60 },
        [`notifier.overdue.not-a-job`]: 'overdue!',
        theme: 'dark',
      };
      for (const [key, value] of Object.entries(settings))
        await query(catalog.databaseUrl, `INSERT INTO settings (key, value) VALUES ($1, $2)`, [
          key,
          JSON.stringify(value),
        ]);
      await database.runMigrations({ transaction: 'all' });
    } finally {
      await database.destroy();
    }
    assert.deepEqual(await catalog.call(CATALOG.overdue.list, {}), [
      { jobId: photos.id, since, thresholdMinutes: 120 },
    ]);
    assert.deepEqual(await catalog.call(CATALOG.settings.get, {}), { theme: 'dark' });
  });
});
