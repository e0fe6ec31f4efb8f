import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  connectNats,
  createLogger,
  ensureRunnerConsumer,
  ensureStreams,
  natsSettings,
  serveMetrics,
} from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { runnerConfig } from './config.js';

export interface RunningRunner {
  /** Stops pulling, lets the runs finish (or hands them back after the grace period), disconnects. */
  /** Where `/metrics` answers (CAIRN_METRICS_PORT=0 picks the port). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Starts a runner (DESIGN §2): pulls run requests and answers browse, tree and destination tests. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningRunner> {
  const config = runnerConfig(env);
  const logger = createLogger('runner', config.CAIRN_LOG_LEVEL);
  const nc = await connectNats(natsSettings(config, 'runner'), `cairn-runner ${config.CAIRN_RUNNER_NAME}`, {
    waitMs: config.CAIRN_STARTUP_WAIT_MS,
    logger,
  });
  await ensureStreams(nc);
  await ensureRunnerConsumer(nc, config.CAIRN_RUNNER_ACK_WAIT_MS);
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
  logger.info({ name: config.CAIRN_RUNNER_NAME, sources: config.CAIRN_SOURCE_ROOTS }, 'runner started');
  return {
    metricsUrl: metrics.url,
    close: async () => {
      await metrics.close();
      await app.close();
      await nc.drain();
      logger.info('runner stopped');
    },
  };
}
