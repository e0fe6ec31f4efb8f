import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { connectNats, createLogger, ensureStreams, natsSettings, serveMetrics } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { schedulerConfig } from './config.js';

export interface RunningScheduler {
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Starts a scheduler (DESIGN §2); any number of replicas may run, each fire still makes one run. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningScheduler> {
  const config = schedulerConfig(env);
  const logger = createLogger('scheduler', config.CAIRN_LOG_LEVEL);
  const nc = await connectNats(natsSettings(config, 'scheduler'), 'cairn-scheduler', {
    waitMs: config.CAIRN_STARTUP_WAIT_MS,
    logger,
  });
  await ensureStreams(nc);
  const app = await NestFactory.createApplicationContext(AppModule.with(config, nc, logger), {
    logger: false,
  });
  await app.init();
  // The endpoints' subscriptions reach the server before anyone is told the service is up.
  await nc.flush();
  const metrics = await serveMetrics(config, logger).catch(async (error: unknown) => {
    await app.close();
    await nc.drain();
    throw error;
  });
  logger.info({ tickMs: config.CAIRN_SCHEDULER_TICK_MS }, 'scheduler started');
  return {
    metricsUrl: metrics.url,
    close: async () => {
      await metrics.close();
      await app.close();
      await nc.drain();
      logger.info('scheduler stopped');
    },
  };
}
