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

/**
 * The facts of a failure, for callers that say it in their own words: the CLI prints the message
 * (with its flag hints), the web app a sentence about the fields a person filled in.
 */
export type ErrorDetail =
  | {
      reason: 'host-key-unknown' | 'host-key-changed' | 'host-key-revoked';
      host: string;
      port: number;
      /** "ED25519", "ECDSA", "RSA". */
      keyType: string;
      /** SHA256:…, as ssh-keygen -lf prints it. */
      fingerprint: string;
    }
  | { reason: 'login-refused'; user: string; host: string; port: number }
  | { reason: 'private-key-unusable'; wrongPassphrase: boolean }
  | { reason: 'repository-missing'; location: string };

export class CairnError extends Error {
  readonly kind: ErrorKind;
  readonly detail?: ErrorDetail;

  constructor(kind: ErrorKind, message: string, options?: { cause?: unknown; detail?: ErrorDetail }) {
    super(message, options);
    this.name = 'CairnError';
    this.kind = kind;
    if (options?.detail) this.detail = options.detail;
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
