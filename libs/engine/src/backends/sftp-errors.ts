import { CairnError } from '../errors.js';
import { describeError, errorCode, isTransientNetworkError } from './net-errors.js';
import { TransientFailure } from './retry.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 puts them on errors. */
export const SFTP_STATUS = {
  noSuchFile: 2,
  permissionDenied: 3,
  failure: 4,
  noConnection: 6,
  connectionLost: 7,
} as const;

const TRANSIENT_LEVELS = new Set(['client-socket', 'client-timeout', 'sftp-protocol']);
const TRANSIENT_MESSAGES =
  /No response from server|Not connected|Channel open failure|Keepalive timeout|Unable to start subsystem/i;

export function sftpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** A failure of the connection (worth a new connection and a retry), not of the request. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof TransientFailure) return true;
  const status = sftpStatus(error);
  if (status === SFTP_STATUS.noConnection || status === SFTP_STATUS.connectionLost) return true;
  const level = (error as { level?: unknown } | null)?.level;
  if (typeof level === 'string' && TRANSIENT_LEVELS.has(level)) return true;
  return isTransientNetworkError(error) || (error instanceof Error && TRANSIENT_MESSAGES.test(error.message));
}

/** Sorts an ssh2 failure into "retry on a new connection" or a CairnError saying what is wrong. */
export function sftpFailure(error: unknown, action: string, location: string): CairnError | TransientFailure {
  if (error instanceof CairnError || error instanceof TransientFailure) return error;
  if (isConnectionFailure(error))
    return new TransientFailure(`${action}: ${describeError(error)}`, { cause: error });
  const status = sftpStatus(error);
  if (status === SFTP_STATUS.noSuchFile)
    return new CairnError('not-found', `${action}: no such file in ${location}`);
  if (status === SFTP_STATUS.permissionDenied) {
    return new CairnError('backend', `${action} in ${location}: permission denied`, { cause: error });
  }
  if (errorCode(error) === 'ENOTFOUND') {
    return new CairnError('backend', `${action}: host not found (${location})`, { cause: error });
  }
  return new CairnError('backend', `${action} in ${location}: ${describeError(error)}`, { cause: error });
}
