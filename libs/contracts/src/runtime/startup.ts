import { setTimeout as sleep } from 'node:timers/promises';
import { countOf } from '../rules/units.js';
import { env } from './config.js';

/**
 * The variable every service reads: how long it keeps trying, as it starts, to reach what it needs
 * (NATS, PostgreSQL, the catalog). After a NAS reboot every container starts at once, whatever
 * `depends_on` says, so a service that gave up at the first refusal would not come back.
 */
export const STARTUP_ENV = {
  CAIRN_STARTUP_WAIT_MS: env.positiveInt(300_000),
};

/** How a service waits for its dependencies at start. */
export interface StartupWait {
  /** Give up after this long (CAIRN_STARTUP_WAIT_MS). */
  waitMs: number;
  /** Each failed attempt is logged here, naming what is unreachable. */
  logger: { warn(fields: object, message: string): void };
}

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

/** Socket errors of a server that cannot be reached (yet): refused, reset, unreachable, unresolvable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether `error` is a socket error of a server that is not there. A Compose host name resolves only
 * once its container runs, so "not found" is one of them.
 */
export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/**
 * Runs `attempt` until it succeeds. While it fails because `what` cannot be reached (`unreachable`
 * says so of the error), each failure is logged and the attempt repeated after a delay that doubles
 * from 0.5 s up to 10 s. Any other error is thrown at once (a wrong password will not get better);
 * so is an unreachable one once `waitMs` has passed, its message saying for how long it was tried.
 * Without a `startup` wait (a health probe, a test), one attempt is the answer.
 */
export async function untilReachable<T>(
  what: string,
  attempt: () => Promise<T>,
  unreachable: (error: unknown) => boolean,
  startup: StartupWait | undefined,
): Promise<T> {
  if (!startup) return attempt();
  const { waitMs, logger } = startup;
  const deadline = Date.now() + waitMs;
  for (let attempts = 1, delay = FIRST_DELAY_MS; ; attempts++, delay = Math.min(2 * delay, MAX_DELAY_MS)) {
    try {
      return await attempt();
    } catch (error) {
      if (!unreachable(error)) throw error;
      const reason = (error as Error).message;
      const left = deadline - Date.now();
      if (left <= 0) {
        const tried = `${countOf(attempts, 'attempt')} in ${Math.round(waitMs / 1000)} s`;
        throw new Error(`still unreachable after ${tried} (CAIRN_STARTUP_WAIT_MS): ${reason}`, {
          cause: error,
        });
      }
      const retryInMs = Math.min(delay, left);
      logger.warn({ attempt: attempts, retryInMs, reason }, `${what} is unreachable; trying again`);
      await sleep(retryInMs);
    }
  }
}
