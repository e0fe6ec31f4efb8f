import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, STARTUP_ENV } from '@cairn/contracts';

const SECRET_KEY_HINT =
  'missing or malformed: it must be 64 hex characters (32 random bytes); generate one with `openssl rand -hex 32`';

export const CatalogConfig = z
  .object({
    DATABASE_URL: env.url('postgres://postgres@127.0.0.1:5432/cairn'),
    ...NATS_ENV,
    ...STARTUP_ENV,
    CAIRN_SECRET_KEY: z.string({ error: SECRET_KEY_HINT }).regex(/^[0-9a-fA-F]{64}$/, SECRET_KEY_HINT),
    ...metricsEnv('catalog'),
    CAIRN_LOG_LEVEL: env.logLevel(),
  })
  .superRefine(checkNatsEnv);
export type CatalogConfig = z.output<typeof CatalogConfig>;

/** Throws a ConfigError naming each bad variable (secret values are never echoed). */
export function loadCatalogConfig(environment: NodeJS.ProcessEnv): CatalogConfig {
  return loadConfig(CatalogConfig, environment);
}
