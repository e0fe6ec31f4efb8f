import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { AckPolicy, DeliverPolicy, jetstreamManager } from '@nats-io/jetstream';
import type { INestApplicationContext } from '@nestjs/common';
import {
  connectNats,
  ensureStreams,
  request,
  STREAMS,
  type Endpoint,
  type NatsConnection,
} from '@cairn/contracts';
import { main } from '../../src/main.js';
import { namespaced, namespacedEndpoint } from '../../src/utils/namespace.js';
import { temporaryDatabase } from './database.js';
import { LogCapture } from './log-capture.js';
import { services } from './services.js';

/**
 * What a test catalog runs on: its own database, NATS namespace and EVENTS consumer, so test files
 * run side by side with each other and with other services' tests on the same servers.
 */
export interface Isolation {
  /** A client connection of the test's own. */
  nc: NatsConnection;
  env: NodeJS.ProcessEnv;
  databaseUrl: string;
  secretKey: string;
  namespace: string;
  eventsConsumer: string;
  /** A request to this catalog (and no other one on the shared NATS server). */
  call<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>>;
  /** A core NATS subject as this catalog publishes it. */
  subject(subject: string): string;
  release(): Promise<void>;
}

export async function isolate(label: string): Promise<Isolation> {
  const database = await temporaryDatabase(label);
  const natsUrl = await services.natsUrl();
  const id = randomBytes(5).toString('hex');
  const namespace = `test-catalog-${id}`;
  const eventsConsumer = `catalog-test-${id}`;
  const secretKey = randomBytes(32).toString('hex');
  const nc = await connectNats(natsUrl, `catalog-test-${label}`);
  const jsm = await ensureStreams(nc);
  // Only events published from now on: the shared stream may hold other tests' events.
  await jsm.consumers.add(STREAMS.events.name, {
    durable_name: eventsConsumer,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.New,
    ack_wait: 30e9,
  });
  return {
    nc,
    env: {
      DATABASE_URL: database.url,
      NATS_URL: natsUrl,
      CAIRN_SECRET_KEY: secretKey,
      CAIRN_LOG_LEVEL: 'trace',
      // Any free port: test catalogs run side by side.
      CAIRN_METRICS_PORT: '0',
    },
    databaseUrl: database.url,
    secretKey,
    namespace,
    eventsConsumer,
    call: (endpoint, payload) => request(nc, namespacedEndpoint(namespace, endpoint), payload),
    subject: (subject) => namespaced(namespace, subject),
    release: async () => {
      await (await jetstreamManager(nc)).consumers.delete(STREAMS.events.name, eventsConsumer);
      await nc.close();
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
  const app = await main({
    env: isolation.env,
    logDestination: logs,
    namespace: isolation.namespace,
    eventsConsumer: isolation.eventsConsumer,
  });
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
