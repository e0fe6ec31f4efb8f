import { DataSource } from 'typeorm';
import { redactUrl, untilReachable, type StartupWait } from '@cairn/contracts';
import { isDatabaseDown } from '../utils/database-down.js';
import { ENTITIES } from './entities.js';
import { ensureDatabase } from './ensure-database.js';
import { withMigrationLock } from './migration-lock.js';
import { MIGRATIONS } from './migrations.js';

export function catalogDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // The committed migrations are the only way the schema changes (DESIGN §2).
    migrationsRun: true,
    migrationsTransactionMode: 'all',
    synchronize: false,
    logging: false,
    applicationName: 'cairn-catalog',
  });
}

/**
 * Creates the database if needed, migrates it to the current schema and returns it ready to use.
 * With `startup`, a PostgreSQL that cannot be reached yet is tried again until that wait is over.
 */
export async function openDatabase(url: string, startup?: StartupWait): Promise<DataSource> {
  const where = `the catalog database at ${redactUrl(url)}`;
  try {
    return await untilReachable(where, () => openOnce(url), isDatabaseDown, startup);
  } catch (error) {
    throw new Error(`cannot open ${where}: ${(error as Error).message}`, { cause: error });
  }
}

async function openOnce(url: string): Promise<DataSource> {
  const dataSource = catalogDataSource(url);
  try {
    await ensureDatabase(url);
    await withMigrationLock(url, () => dataSource.initialize());
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw error;
  }
}
