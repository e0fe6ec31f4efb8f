// The one condition wait of every suite: a test waits for what it expects, never for a fixed time.
import { setTimeout as sleep } from 'node:timers/promises';

/** Retries `check` until it stops throwing and returns its value, or rethrows its last failure after `timeoutMs`. */
export async function eventually(check, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}
