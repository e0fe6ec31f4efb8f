import { pino, type Logger } from 'pino';

/** Field names whose values must never reach a log line, wherever they are nested. */
const SECRET_FIELDS = [
  'password',
  'passphrase',
  'passwordHash',
  'secrets',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
];

export function createLogger(service: string, level = process.env.CAIRN_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: {
      paths: [
        ...SECRET_FIELDS,
        ...SECRET_FIELDS.map((field) => `*.${field}`),
        ...SECRET_FIELDS.map((field) => `*.*.${field}`),
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
