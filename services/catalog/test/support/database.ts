import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { services } from './services.js';

/** A database name no other test uses; the catalog creates it, `drop()` removes it. */
export async function temporaryDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `cairn_catalog_${label}_${randomBytes(5).toString('hex')}`;
  const server = new URL(await services.databaseUrl());
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      server.pathname = '/postgres';
      await withClient(server.toString(), (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Reads rows straight from PostgreSQL, bypassing the catalog. */
export function query<Row = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []) {
  return withClient(url, async (client) => (await client.query(sql, params)).rows as Row[]);
}
