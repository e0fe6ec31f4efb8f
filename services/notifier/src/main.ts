import 'reflect-metadata';
import { hostname } from 'node:os';
import { NestFactory } from '@nestjs/core';
import type { DestinationStream } from 'pino';
import { connectNats, createLogger, ensureStreams, natsSettings, serveMetrics } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { notifierConfig } from './config.js';

export interface RunningNotifier {
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Starts a notifier (DESIGN §2); replicas share the durable consumer and the delivery records. */
export async function main(
  env: NodeJS.ProcessEnv = process.env,
  options: { logDestination?: DestinationStream } = {},
): Promise<RunningNotifier> {
  const config = notifierConfig(env);
  const logger = createLogger('notifier', config.CAIRN_LOG_LEVEL, options.logDestination);
  const nc = await connectNats(natsSettings(config, 'notifier'), 'cairn-notifier', {
    waitMs: config.CAIRN_STARTUP_WAIT_MS,
    logger,
  });
  await ensureStreams(nc);
  const origin = {
    host: hostname(),
    ...(config.CAIRN_PUBLIC_URL ? { publicUrl: config.CAIRN_PUBLIC_URL } : {}),
  };
  const app = await NestFactory.createApplicationContext(AppModule.with(config, nc, logger, origin), {
    logger: false,
  });
  await app.init();
  // The test endpoint's subscription reaches the server before anyone is told the service is up.
  await nc.flush();
  const metrics = await serveMetrics(config, logger).catch(async (error: unknown) => {
    await app.close();
    await nc.drain();
    throw error;
  });
  logger.info('notifier started');
  return {
    metricsUrl: metrics.url,
    close: async () => {
      await metrics.close();
      await app.close();
      await nc.drain();
      logger.info('notifier stopped');
    },
  };
}
