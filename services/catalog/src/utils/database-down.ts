import { HandlerError, isNetworkError } from '@cairn/contracts';

/**
 * Whether `error` says the database is away rather than that the request was wrong: a socket
 * error, PostgreSQL's connection exceptions (class 08) and operator interventions (57P: shutting
 * down, starting up), or node-postgres losing or failing to get a connection.
 */
export function isDatabaseDown(error: unknown): boolean {
  const cause = (error as { driverError?: unknown })?.driverError ?? error;
  if (!(cause instanceof Error)) return false;
  const code = (cause as { code?: unknown }).code;
  if (isNetworkError(cause) || (typeof code === 'string' && /^(08|57P)/.test(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Driver not Connected/i.test(
    cause.message,
  );
}

/** What a caller hears instead of `internal` while the database is away: 503, try again. */
export function databaseDown(): HandlerError {
  return new HandlerError('unavailable', 'the catalog database is not reachable; try again shortly');
}
