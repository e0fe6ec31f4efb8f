import type { ErrorKind } from '@cairn/engine';

/** restic's exit codes, which scripts around backup tools already know. */
export const EXIT = {
  ok: 0,
  fatal: 1,
  warnings: 3,
  noRepository: 10,
  lockFailed: 11,
  wrongPassword: 12,
  interrupted: 130,
} as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'repository-not-found':
      return EXIT.noRepository;
    case 'lock-failed':
      return EXIT.lockFailed;
    case 'wrong-password':
      return EXIT.wrongPassword;
    case 'cancelled':
      return EXIT.interrupted;
    default:
      return EXIT.fatal;
  }
}
