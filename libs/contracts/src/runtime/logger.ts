import { pino, type DestinationStream, type Logger } from 'pino';

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

/** `destination` defaults to stdout; tests pass a stream to assert on what was logged. */
export function createLogger(
  service: string,
  level = process.env.CAIRN_LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service },
    // ISO 8601 rather than epoch milliseconds: `docker compose logs` is read by people.
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        ...SECRET_FIELDS,
        ...SECRET_FIELDS.map((field) => `*.${field}`),
        ...SECRET_FIELDS.map((field) => `*.*.${field}`),
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
