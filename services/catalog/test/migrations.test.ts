import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { MIGRATIONS } from '../src/database/migrations.js';
import { openDatabase } from '../src/database/open-database.js';
import { temporaryDatabase, query } from './support/database.js';

const TABLES = [
  'admin',
  'channels',
  'deliveries',
  'destinations',
  'jobs',
  'migrations',
  'overdue_lapses',
  'runs',
  'sessions',
  'settings',
  'snapshots',
];

const tables = async (url: string) =>
  (
    await query<{ name: string }>(
      url,
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
  ).map((row) => row.name);

const appliedMigrations = async (url: string) =>
  (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM migrations'))[0]!.n;

describe('database and migrations', () => {
  const drops: (() => Promise<void>)[] = [];
  const open: DataSource[] = [];
  after(async () => {
    await Promise.all(
      open.filter((dataSource) => dataSource.isInitialized).map((dataSource) => dataSource.destroy()),
    );
    await Promise.all(drops.map((drop) => drop()));
  });

  const fresh = async (label: string) => {
    const database = await temporaryDatabase(label);
    drops.push(database.drop);
    return database.url;
  };
  const opened = async (url: string) => {
    const dataSource = await openDatabase(url);
    open.push(dataSource);
    return dataSource;
  };

  test('a missing database is created and migrated to a schema that matches the entities', async () => {
    const url = await fresh('migrate');
    const dataSource = await opened(url);
    assert.deepEqual(await tables(url), TABLES);
    assert.equal(await dataSource.showMigrations(), false, 'no migration is pending');
    assert.equal(dataSource.options.synchronize, false);
    // What TypeORM would change to make the schema fit the entities: nothing.
    const drift = await dataSource.driver.createSchemaBuilder().log();
    assert.deepEqual(
      drift.upQueries.map((change) => change.query),
      [],
    );
    await dataSource.destroy();

    // Starting again runs nothing twice.
    const again = await opened(url);
    assert.equal(await appliedMigrations(url), MIGRATIONS.length);
    assert.deepEqual(await tables(url), TABLES);

    // Down and up again: the migrations are re-runnable.
    for (const _migration of MIGRATIONS) await again.undoLastMigration({ transaction: 'all' });
    assert.deepEqual(await tables(url), ['migrations']);
    await again.runMigrations({ transaction: 'all' });
    assert.deepEqual(await tables(url), TABLES);
  });

  test('two replicas starting at once on an empty server both come up, migrating once', async () => {
    const url = await fresh('race');
    await Promise.all([opened(url), opened(url), opened(url)]);
    assert.equal(await appliedMigrations(url), MIGRATIONS.length);
    assert.deepEqual(await tables(url), TABLES);
  });

  test('an unreachable server is a clear error that does not show the password', async () => {
    await assert.rejects(
      openDatabase('postgres://cairn:hunter2@127.0.0.1:1/cairn'),
      (error: Error) =>
        error.message.startsWith(
          'cannot open the catalog database at postgres://cairn:***@127.0.0.1:1/cairn',
        ) && !error.message.includes('hunter2'),
    );
  });
});
