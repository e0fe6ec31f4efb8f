import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { INestApplicationContext } from '@nestjs/common';
import { connectNats, request, type Endpoint, type NatsConnection } from '@cairn/contracts';
import { main } from '../../src/main.js';
import { temporaryDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { services } from './services.js';

/**
 * What a test catalog runs on: a database and a NATS server of its own, so test files run side by
 * side with each other and with other services' tests.
 */
export interface Isolation {
  /** A client connection of the test's own. */
  nc: NatsConnection;
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  secretKey: string;
  /** A request to this catalog. */
  call<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>>;
  release(): Promise<void>;
}

export async function isolate(label: string): Promise<Isolation> {
  const database = await temporaryDatabase(label);
  const nats = await services.privateNats();
  const secretKey = randomBytes(32).toString('hex');
  const nc = await connectNats(nats.url, `catalog-test-${label}`);
  return {
    nc,
    env: {
      DATABASE_URL: database.url,
      NATS_URL: nats.url,
      CAIRN_SECRET_KEY: secretKey,
      CAIRN_LOG_LEVEL: 'trace',
      // Any free port: test catalogs run side by side.
      CAIRN_METRICS_PORT: '0',
    },
    databaseUrl: database.url,
    secretKey,
    call: (endpoint, payload) => request(nc, endpoint, payload),
    release: async () => {
      await nc.close();
      await nats.stop();
      await database.drop();
    },
  };
}

export interface TestCatalog extends Isolation {
  app: INestApplicationContext;
  logs: LogCapture;
  /** Closes the catalog, once however often it is called. */
  close(): Promise<void>;
  /** Closes the catalog and releases what it ran on. */
  stop(): Promise<void>;
}

/** A real catalog, in this process, logging into a capture at trace level. */
export async function startCatalog(label: string): Promise<TestCatalog> {
  const isolation = await isolate(label);
  const logs = new LogCapture();
  const app = await main({ env: isolation.env, logDestination: logs });
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= app.close());
  return {
    ...isolation,
    app,
    logs,
    close,
    stop: async () => {
      await close();
      await isolation.release();
    },
  };
}
