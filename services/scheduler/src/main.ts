import 'reflect-metadata';
import { startService, type RunningService } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { schedulerConfig } from './config.js';

export type RunningScheduler = RunningService;

/** Starts a scheduler (DESIGN §2); any number of replicas may run, each fire still makes one run. */
export function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningScheduler> {
  const config = schedulerConfig(env);
  return startService({
    service: 'scheduler',
    config,
    connectionName: 'cairn-scheduler',
    module: (nc, logger) => AppModule.with(config, nc, logger),
    startedFields: { tickMs: config.CAIRN_SCHEDULER_TICK_MS },
  });
}
