import { DataSource } from 'typeorm';
import { redactUrl } from '../utils/redact-url.js';
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

/** Creates the database if needed, migrates it to the current schema and returns it ready to use. */
export async function openDatabase(url: string): Promise<DataSource> {
  const dataSource = catalogDataSource(url);
  try {
    await ensureDatabase(url);
    await withMigrationLock(url, () => dataSource.initialize());
    return dataSource;
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw new Error(`cannot open the catalog database at ${redactUrl(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
