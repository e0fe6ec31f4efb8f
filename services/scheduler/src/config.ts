import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, STARTUP_ENV } from '@cairn/contracts';

const schema = z
  .object({
    ...NATS_ENV,
    ...STARTUP_ENV,
    /** How often due fires are looked for; fires are late by at most this much. Tests make it short. */
    CAIRN_SCHEDULER_TICK_MS: env.positiveInt(1000),
    ...metricsEnv('scheduler'),
    CAIRN_LOG_LEVEL: env.logLevel(),
  })
  .superRefine(checkNatsEnv);

export type SchedulerConfig = z.output<typeof schema>;

export function schedulerConfig(source: NodeJS.ProcessEnv = process.env): SchedulerConfig {
  return loadConfig(schema, source);
}
