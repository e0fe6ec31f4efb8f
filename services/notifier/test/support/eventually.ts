import { setTimeout as sleep } from 'node:timers/promises';

/** Waits until `check` stops throwing (or rethrows its last failure after `timeoutMs`). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
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
