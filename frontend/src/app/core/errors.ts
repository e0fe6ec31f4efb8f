import { HttpErrorResponse } from '@angular/common/http';

/** What went wrong, in words a person understands: the API's own message when it sent one. */
export function describeError(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return 'Cannot reach the Cairn server. Check that it is running and try again.';
    const body = error.error as { error?: { message?: string } } | null;
    const message = body?.error?.message;
    if (error.status === 401) return message ? capitalize(message) : 'Your session has ended: sign in again.';
    if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.';
    if (error.status === 503) return `A Cairn service is not answering: ${message ?? 'try again shortly'}.`;
    if (message) return capitalize(message);
    return `The server answered ${error.status} ${error.statusText || ''}`.trim() + '.';
  }
  if (error instanceof Error) return capitalize(error.message);
  return 'Something went wrong.';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
