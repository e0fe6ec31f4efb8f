import 'reflect-metadata';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import { startService, type RunningService } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { notifierConfig } from './config.js';

export type RunningNotifier = RunningService;

/** Starts a notifier (DESIGN §2); replicas share the durable consumer and the delivery records. */
export function main(
  env: NodeJS.ProcessEnv = process.env,
  options: { logDestination?: DestinationStream } = {},
): Promise<RunningNotifier> {
  const config = notifierConfig(env);
  const origin = {
    host: hostname(),
    ...(config.CAIRN_PUBLIC_URL ? { publicUrl: config.CAIRN_PUBLIC_URL } : {}),
  };
  return startService({
    service: 'notifier',
    config,
    connectionName: 'cairn-notifier',
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
    module: (nc, logger) => AppModule.with(config, nc, logger, origin),
  });
}
