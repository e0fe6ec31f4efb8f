/**
 * Every failure a user can cause or meet carries a kind, so the CLI can map it to restic-compatible
 * exit codes and print one line instead of a stack trace.
 */
export type ErrorKind =
  | 'usage'
  | 'repository-not-found'
  | 'repository-exists'
  | 'wrong-password'
  | 'lock-failed'
  | 'corrupt'
  | 'not-found'
  /** A create-if-absent save found the file already there. */
  | 'already-exists'
  | 'backend'
  | 'cancelled';

export class CairnError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CairnError';
    this.kind = kind;
  }
}

export function isCairnError(error: unknown, kind?: ErrorKind): error is CairnError {
  return error instanceof CairnError && (kind === undefined || error.kind === kind);
}

/** Throws the signal's reason as a `cancelled` error when the operation was aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CairnError('cancelled', 'operation cancelled');
}

/** Node's system errors carry a string `code` (ENOENT, EACCES, …). */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
