import { TransientFailure } from './retry.js';

/**
 * Fails `work` with a TransientFailure when it has not settled after `ms`, calling `onTimeout` first
 * so the caller can tear down whatever hangs (a stalled connection would otherwise hold its slot forever).
 */
export function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TransientFailure(`${what}: no answer within ${Math.round(ms / 1000)} s`));
    }, ms);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
