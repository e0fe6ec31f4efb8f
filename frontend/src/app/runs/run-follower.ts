import type { Run, RunFinished, RunProgress } from '../core/api.types';
import { isFinished } from './progress';

export interface RunListener {
  status(run: Run): void;
  progress(progress: RunProgress): void;
  started(): void;
  finished(event: RunFinished): void;
  /** Called with the error when a poll fails (it is retried), and with null when one succeeds. */
  trouble(error: unknown): void;
}

export interface FollowOptions {
  eventsUrl: string;
  poll: () => Promise<Run>;
  listener: RunListener;
  pollEveryMs?: number;
  openEvents?: (url: string) => EventSource;
}

/**
 * Follows a run until it ends: its server-sent events while the stream holds, else polling (a proxy
 * that buffers or drops event streams, an expired token on reconnect). Returns a function that stops.
 */
export function followRun({
  eventsUrl,
  poll,
  listener,
  pollEveryMs = 2000,
  openEvents = (url) => new EventSource(url),
}: FollowOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const source = openEvents(eventsUrl);
  const stop = () => {
    stopped = true;
    source.close();
    clearTimeout(timer);
  };
  const data = <T>(event: Event): T => JSON.parse((event as MessageEvent<string>).data) as T;

  source.addEventListener('status', (event) => {
    const run = data<Run>(event);
    listener.status(run);
    if (isFinished(run.status)) stop();
  });
  source.addEventListener('progress', (event) => listener.progress(data<RunProgress>(event)));
  source.addEventListener('started', () => listener.started());
  source.addEventListener('finished', (event) => {
    // Closed before the server ends the stream, which EventSource would take for an error.
    stop();
    listener.finished(data<RunFinished>(event));
  });

  const pollOnce = async () => {
    try {
      const run = await poll();
      if (stopped) return;
      listener.trouble(null);
      listener.status(run);
      if (isFinished(run.status)) return stop();
    } catch (error) {
      if (stopped) return;
      listener.trouble(error);
    }
    timer = setTimeout(pollOnce, pollEveryMs);
  };
  source.addEventListener('error', () => {
    if (stopped) return;
    // EventSource would reconnect on its own, with a token that may have expired meanwhile.
    source.close();
    void pollOnce();
  });

  return stop;
}
