import * as z from 'zod';

/** A start-up configuration error: names every bad variable, never echoes a secret's value. */
export class ConfigError extends Error {}

const SECRET_NAME = /SECRET|PASSWORD|PASSPHRASE|TOKEN|KEY/i;

/** Reads and validates environment variables; defaults work on a developer machine. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  // `NAME=` in an .env file means "not set", as it does for the shell users who write them.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(given);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const value = env[name];
    const shown =
      value === undefined ? 'not set' : SECRET_NAME.test(name) ? 'value hidden' : `got "${value}"`;
    return `  ${name}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** Common variable shapes. */
export const env = {
  url: (fallback: string) => z.string().url().default(fallback),
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Comma-separated items, trimmed, empty ones dropped. */
  list: (fallback = '') =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
};
