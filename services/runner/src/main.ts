import 'reflect-metadata';
import { ensureRunnerConsumer, startService, type RunningService } from '@cairn/contracts';
import { AppModule } from './app.module.js';
import { runnerConfig } from './config.js';

/** Closing stops pulling, lets the runs finish (or hands them back after the grace period), disconnects. */
export type RunningRunner = RunningService;

/** Starts a runner (DESIGN §2): pulls run requests and answers browse, tree and destination tests. */
export function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningRunner> {
  const config = runnerConfig(env);
  return startService({
    service: 'runner',
    config,
    connectionName: `cairn-runner ${config.CAIRN_RUNNER_NAME}`,
    prepare: (nc) => ensureRunnerConsumer(nc, config.CAIRN_RUNNER_ACK_WAIT_MS),
    module: (nc, logger) => AppModule.with(config, nc, logger),
    startedFields: { name: config.CAIRN_RUNNER_NAME, sources: config.CAIRN_SOURCE_ROOTS },
  });
}
