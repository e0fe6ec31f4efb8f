/** The gateway refuses shorter admin passwords (PasswordBody in the auth controller). */
export const MIN_PASSWORD_LENGTH = 8;

export interface PasswordChange {
  current: string;
  next: string;
  repeat: string;
}

export function currentPasswordIssue(current: string): string | null {
  return current ? null : 'Enter your current password.';
}

export function newPasswordIssue({ current, next }: PasswordChange): string | null {
  if (!next) return 'Enter a new password.';
  if (next.length < MIN_PASSWORD_LENGTH)
    return `The new password needs at least ${MIN_PASSWORD_LENGTH} characters; it has ${next.length}.`;
  if (next === current) return 'The new password is the same as the current one.';
  return null;
}

export function repeatIssue({ next, repeat }: PasswordChange): string | null {
  if (!repeat) return 'Type the new password again.';
  return repeat === next ? null : 'The two new passwords differ: type the same one twice.';
}
