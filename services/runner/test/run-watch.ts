import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream } from '@nats-io/jetstream';
import {
  RunFinished,
  RunProgress,
  RunStarted,
  SUBJECTS,
  type NatsConnection,
  type RunRequest,
} from '@cairn/contracts';

/** Sends a run request the way the scheduler and the gateway do: to the JetStream work queue. */
export async function requestRun(nc: NatsConnection, request: RunRequest): Promise<void> {
  await jetstream(nc).publish(SUBJECTS.runRequest, JSON.stringify(request), { msgID: request.runId });
}

/** Everything published about one run: progress (core NATS) and its events (JetStream subjects). */
export function watchRun(nc: NatsConnection, runId: string) {
  const seen = {
    progress: [] as (RunProgress & { at: number })[],
    started: [] as RunStarted[],
    finished: [] as RunFinished[],
    /** Event kinds in arrival order. */
    order: [] as string[],
  };
  const progress = nc.subscribe(SUBJECTS.runProgress(runId), {
    callback: (_error, msg) => {
      seen.progress.push({ ...RunProgress.parse(msg.json()), at: Date.now() });
    },
  });
  const events = nc.subscribe('cairn.events.run.>', {
    callback: (_error, msg) => {
      const body = msg.json<{ runId: string }>();
      if (body.runId !== runId) return;
      if (msg.subject === SUBJECTS.runStarted) seen.started.push(RunStarted.parse(body));
      if (msg.subject === SUBJECTS.runFinished) seen.finished.push(RunFinished.parse(body));
      seen.order.push(msg.subject.split('.').at(-1)!);
    },
  });
  return {
    seen,
    /** Waits until `ready` holds, polling; fails after `timeoutMs`. */
    async until<T>(ready: () => T | undefined | false, timeoutMs = 120_000, what = 'the run'): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const value = ready();
        if (value) return value;
        await sleep(50);
      }
      throw new Error(`timed out waiting for ${what} (events: ${seen.order.join(', ') || 'none'})`);
    },
    finished(timeoutMs?: number): Promise<RunFinished> {
      return this.until(() => seen.finished[0], timeoutMs, 'run-finished');
    },
    close() {
      progress.unsubscribe();
      events.unsubscribe();
    },
  };
}
