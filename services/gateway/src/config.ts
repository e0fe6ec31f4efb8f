import { isIP } from 'node:net';
import { z } from 'zod';
import { checkNatsEnv, env, loadConfig, metricsEnv, NATS_ENV, STARTUP_ENV } from '@cairn/contracts';

/** A comma-separated list, trimmed, empty entries dropped. */
const list = (lowerCase: boolean) =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => (lowerCase ? item.trim().toLowerCase() : item.trim()))
        .filter(Boolean),
    );

/** An IP address, or a network as address/prefix length. */
function isAddressOrNetwork(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

const schema = z
  .object({
    ...NATS_ENV,
    ...STARTUP_ENV,
    /** 32 bytes as hex: signs access and refresh tokens (shared with the catalog, which encrypts secrets). */
    CAIRN_SECRET_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (generate one with: openssl rand -hex 32)'),
    /** Loopback by default; the container sets 0.0.0.0 explicitly. */
    CAIRN_BIND: z.string().default('127.0.0.1'),
    /** When unset, 8200 is tried first, then 8300, 8400, … */
    CAIRN_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** Host names (besides IP addresses and localhost) that requests may name in their Host header. */
    CAIRN_ALLOWED_HOSTS: list(true),
    /**
     * Reverse proxies whose X-Forwarded-For/-Proto are believed (addresses or networks). None by
     * default: otherwise anyone could name any client address and dodge the sign-in limit.
     */
    CAIRN_TRUSTED_PROXIES: list(false).refine(
      (entries) => entries.every(isAddressOrNetwork),
      'must be IP addresses or networks (e.g. 10.0.0.5,172.16.0.0/12), separated by commas',
    ),
    /** Origins (scheme://host[:port]) besides the gateway's own that may sign in, e.g. behind a proxy. */
    CAIRN_ALLOWED_ORIGINS: list(true)
      .refine(
        (entries) => entries.every((entry) => URL.canParse(entry)),
        'must be origins like https://backup.example.net, separated by commas',
      )
      .transform((entries) => entries.map((entry) => new URL(entry).origin)),
    /** The initial admin password: stored at the first start only (see CAIRN_RESET_ADMIN_PASSWORD). */
    CAIRN_ADMIN_PASSWORD: z.string().min(8).optional(),
    /** `true` for one start replaces the stored password with CAIRN_ADMIN_PASSWORD (a forgotten one). */
    CAIRN_RESET_ADMIN_PASSWORD: z
      .enum(['true', 'false', ''])
      .default('')
      .transform((value) => value === 'true'),
    CAIRN_TLS_CERT: z.string().optional(),
    CAIRN_TLS_KEY: z.string().optional(),
    /** The built web app, served at / when present. */
    CAIRN_UI_DIR: z.string().optional(),
    ...metricsEnv('gateway'),
    CAIRN_LOG_LEVEL: env.logLevel(),
  })
  .superRefine(checkNatsEnv);

export type GatewayConfig = z.output<typeof schema>;

export function gatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(schema, source);
  if (Boolean(config.CAIRN_TLS_CERT) !== Boolean(config.CAIRN_TLS_KEY)) {
    throw new Error('invalid configuration:\n  CAIRN_TLS_CERT and CAIRN_TLS_KEY must be set together');
  }
  return config;
}
