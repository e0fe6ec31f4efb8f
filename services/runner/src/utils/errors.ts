import { HandlerError, RemoteError } from '@cairn/contracts';
import { isCairnError, type ErrorKind } from '@cairn/engine';
import { destinationWords } from './destination-words.js';
import { PathRefused } from './path-refused.js';

/** One line for a run's error field and log: what went wrong, in the user's terms. */
export function describeError(error: unknown): string {
  if (isCairnError(error, 'wrong-password')) {
    return `the job's passphrase does not open its repository (${error.message})`;
  }
  if (error instanceof RemoteError) return `catalog: ${error.message}`;
  const words = destinationWords(error);
  if (words) return words.message;
  return error instanceof Error ? error.message : String(error);
}

const CODES: Partial<Record<ErrorKind, HandlerError['code']>> = {
  usage: 'bad-request',
  'not-found': 'not-found',
  'repository-not-found': 'not-found',
  'wrong-password': 'conflict',
  'lock-failed': 'conflict',
  backend: 'unavailable',
};

/** An error as a request handler answers it: expected failures keep their message, the rest stay internal. */
export function asHandlerError(error: unknown): unknown {
  if (error instanceof PathRefused) return new HandlerError('bad-request', error.message, 'path');
  if (error instanceof RemoteError) return new HandlerError(error.body.code, describeError(error));
  const errno = (error as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT') return new HandlerError('not-found', 'no such file or folder', 'path');
  if (errno === 'ENOTDIR') return new HandlerError('bad-request', 'not a folder', 'path');
  if (isCairnError(error)) {
    const code = CODES[error.kind];
    if (code) return new HandlerError(code, describeError(error));
  }
  return error;
}
