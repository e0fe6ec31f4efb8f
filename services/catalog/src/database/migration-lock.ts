import pg from 'pg';

/** Any constant shared by every catalog replica: "cairn" in ASCII. */
const LOCK_KEY = 0x636169726en;

/**
 * Runs `work` while holding a PostgreSQL advisory lock, so that two replicas starting together do
 * not run the same migrations at once (TypeORM itself does not lock).
 */
export async function withMigrationLock<T>(url: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY.toString()]);
    return await work();
  } finally {
    // Ending the session releases the lock even if the unlock below is never reached.
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY.toString()]).catch(() => undefined);
    await client.end();
  }
}
