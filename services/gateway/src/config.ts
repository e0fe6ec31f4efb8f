import { z } from 'zod';
import { env, loadConfig } from '@cairn/contracts';

const schema = z.object({
  NATS_URL: env.url('nats://127.0.0.1:4222'),
  /** 32 bytes as hex: signs access and refresh tokens (shared with the catalog, which encrypts secrets). */
  CAIRN_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (generate one with: openssl rand -hex 32)'),
  /** Loopback by default; the container sets 0.0.0.0 explicitly. */
  CAIRN_BIND: z.string().default('127.0.0.1'),
  /** When unset, 8200 is tried first, then 8300, 8400, … */
  CAIRN_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Host names (besides IP addresses and localhost) that requests may name in their Host header. */
  CAIRN_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    ),
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
  CAIRN_LOG_LEVEL: env.logLevel(),
});

export type GatewayConfig = z.output<typeof schema>;

export function gatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(schema, source);
  if (Boolean(config.CAIRN_TLS_CERT) !== Boolean(config.CAIRN_TLS_KEY)) {
    throw new Error('invalid configuration:\n  CAIRN_TLS_CERT and CAIRN_TLS_KEY must be set together');
  }
  return config;
}
