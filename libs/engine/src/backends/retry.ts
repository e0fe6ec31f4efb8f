import { setTimeout as sleep } from 'node:timers/promises';
import { CairnError } from '../errors.js';

export interface RetryPolicy {
  /** Tries in all, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 30 s of waiting in all before giving up: long enough for a server restart or a Wi-Fi hiccup. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 15_000 };

export interface RetryEvent {
  operation: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  attempts: number;
  delayMs: number;
  reason: string;
}

/**
 * A failure worth trying again (connection reset, timeout, HTTP 5xx/429). Backends turn every
 * error into either this or a CairnError, so that only the former is retried and the latter fails fast.
 */
export class TransientFailure extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'TransientFailure';
  }
}

/**
 * Exponential backoff with jitter: half of each delay is fixed and half random, so a fleet of clients
 * that failed together does not come back in lockstep, yet nobody retries at once.
 */
export function backoffDelay(policy: RetryPolicy, failedAttempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export async function retry<T>(
  operation: string,
  policy: RetryPolicy,
  attempt: (attempt: number) => Promise<T>,
  onRetry?: (event: RetryEvent) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof TransientFailure)) throw error;
      if (n >= policy.attempts) {
        // One attempt was all the policy allowed: nothing was given up on.
        const tries = n > 1 ? ` (gave up after ${n} attempts)` : '';
        // Backends often name the operation in the reason already ("stat config: …"): once is enough.
        const reason = error.reason.startsWith(`${operation}:`)
          ? error.reason
          : `${operation}: ${error.reason}`;
        throw new CairnError('backend', `${reason}${tries}`, {
          cause: error,
        });
      }
      const delayMs = backoffDelay(policy, n);
      onRetry?.({ operation, attempt: n, attempts: policy.attempts, delayMs, reason: error.reason });
      await sleep(delayMs);
    }
  }
}

export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { ...DEFAULT_RETRY, ...overrides };
}
