import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from './logger.js';
import { serveMetrics, type MetricsEnv } from './metrics.js';
import {
  connectNats,
  ensureStreams,
  natsSettings,
  type NatsConnection,
  type NatsEnv,
  type NatsService,
} from './nats.js';

/** What every service's `main` hands back: the tests and `deploy/cairn-server.mjs` stop it with `close`. */
export interface RunningService {
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  /** Stops answering, lets the work in hand end (each service's providers decide how), disconnects. */
  close(): Promise<void>;
}

export interface ServiceStart<
  Config extends NatsEnv & MetricsEnv & { CAIRN_LOG_LEVEL: string; CAIRN_STARTUP_WAIT_MS: number },
> {
  service: NatsService;
  /** The service's validated environment. */
  config: Config;
  /** The name the NATS server shows for the connection. */
  connectionName: string;
  /** Where log lines go (stdout by default; tests assert on them). */
  logDestination?: DestinationStream;
  /** What must exist on the server before the providers start (e.g. the runner's consumer). */
  prepare?: (nc: NatsConnection) => Promise<void>;
  module: (nc: NatsConnection, logger: Logger) => DynamicModule;
  /** Fields of the "started" log line. */
  startedFields?: object;
}

/**
 * The one start of a NATS-only service (runner, scheduler, notifier): connect (waiting out a NATS that
 * is not up yet, DESIGN §7), ensure the streams, start the providers, serve `/metrics`, then say so.
 * A step that fails closes what the steps before it opened.
 */
export async function startService<
  Config extends NatsEnv & MetricsEnv & { CAIRN_LOG_LEVEL: string; CAIRN_STARTUP_WAIT_MS: number },
>(start: ServiceStart<Config>): Promise<RunningService> {
  const { service, config } = start;
  const logger = createLogger(service, config.CAIRN_LOG_LEVEL, start.logDestination);
  const nc = await connectNats(natsSettings(config, service), start.connectionName, {
    waitMs: config.CAIRN_STARTUP_WAIT_MS,
    logger,
  });
  const opened: Array<() => Promise<unknown>> = [() => nc.drain()];
  const closeAll = async () => {
    for (const close of [...opened].reverse()) await close();
  };
  try {
    await ensureStreams(nc);
    await start.prepare?.(nc);
    const app = await NestFactory.createApplicationContext(start.module(nc, logger), { logger: false });
    opened.push(() => app.close());
    await app.init();
    // The endpoints' subscriptions reach the server before anyone is told the service is up.
    await nc.flush();
    const metrics = await serveMetrics(config, logger);
    opened.push(() => metrics.close());
    logger.info(start.startedFields ?? {}, `${service} started`);
    return {
      metricsUrl: metrics.url,
      close: async () => {
        await closeAll();
        logger.info(`${service} stopped`);
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
