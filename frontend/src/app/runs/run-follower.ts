import type { Run, RunFinished, RunProgress } from '../core/api.types';
import { eventData, openEventSource, type OpenEvents } from '../core/event-stream';
import { isFinished } from '../core/progress';

export interface RunListener {
  status(run: Run): void;
  progress(progress: RunProgress): void;
  started(): void;
  finished(event: RunFinished): void;
  /** Called with the error when a poll fails (it is retried), and with null when one succeeds. */
  trouble(error: unknown): void;
}

export interface FollowOptions {
  /** The events URL, asked for just before the stream opens (it holds a one-time ticket). */
  eventsUrl: () => Promise<string>;
  poll: () => Promise<Run>;
  listener: RunListener;
  pollEveryMs?: number;
  openEvents?: OpenEvents;
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
  openEvents = openEventSource,
}: FollowOptions): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let source: EventSource | undefined;
  const stop = () => {
    stopped = true;
    source?.close();
    clearTimeout(timer);
  };
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

  const listen = (events: EventSource) => {
    events.addEventListener('status', (event) => {
      const run = eventData<Run>(event);
      listener.status(run);
      if (isFinished(run.status)) stop();
    });
    events.addEventListener('progress', (event) => listener.progress(eventData<RunProgress>(event)));
    events.addEventListener('started', () => listener.started());
    events.addEventListener('finished', (event) => {
      // Closed before the server ends the stream, which EventSource would take for an error.
      stop();
      listener.finished(eventData<RunFinished>(event));
    });
    events.addEventListener('error', () => {
      if (stopped) return;
      // EventSource would reconnect on its own, with a ticket that is used up by then.
      events.close();
      void pollOnce();
    });
  };

  eventsUrl().then(
    (url) => {
      if (stopped) return;
      source = openEvents(url);
      listen(source);
    },
    () => {
      if (!stopped) void pollOnce();
    },
  );

  return stop;
}
