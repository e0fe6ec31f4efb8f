import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, STARTUP_ENV } from '@cairn/contracts';

const schema = z
  .object({
    ...NATS_ENV,
    ...STARTUP_ENV,
    /** Bot API root; tests and self-hosted Bot API servers point it elsewhere. */
    CAIRN_TELEGRAM_API_ROOT: env.url('https://api.telegram.org'),
    /** Where people open the web app; reports link to the run there when set. */
    CAIRN_PUBLIC_URL: z.union([z.literal(''), z.url()]).optional(),
    /** Attempts per report and channel, counting those made before a restart. */
    CAIRN_NOTIFIER_ATTEMPTS: env.positiveInt(5),
    /** First retry delay; each next one doubles (1, 2, 4, 8 s by default: bounded, about 15 s). */
    CAIRN_NOTIFIER_RETRY_MS: env.positiveInt(1000),
    /** How often jobs are checked for being overdue. */
    CAIRN_NOTIFIER_OVERDUE_CHECK_MS: env.positiveInt(60_000),
    ...metricsEnv('notifier'),
    CAIRN_LOG_LEVEL: env.logLevel(),
  })
  .superRefine(checkNatsEnv);

export type NotifierConfig = z.output<typeof schema>;

export function notifierConfig(source: NodeJS.ProcessEnv = process.env): NotifierConfig {
  return loadConfig(schema, source);
}
