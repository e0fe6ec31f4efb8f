import { inject, Injectable } from '@angular/core';
import type { RunFinished, RunProgress, RunStarted } from './api.types';
import { eventData, openEventSource, type OpenEvents } from './event-stream';
import { LinkService } from './links';

export interface ActivityListener {
  progress(progress: RunProgress): void;
  started(event: RunStarted): void;
  finished(event: RunFinished): void;
  /**
   * True when the stream opened, false when it broke (it is opened again, later and later): what
   * happened in between was not seen, so the caller polls until it is back and reloads then.
   */
  connected(open: boolean): void;
}

export interface ActivityOptions {
  /** The stream's URL, asked for before each opening (it holds a one-time ticket). */
  eventsUrl: () => Promise<string>;
  listener: ActivityListener;
  firstRetryMs?: number;
  lastRetryMs?: number;
  openEvents?: OpenEvents;
}

/** Follows every run's events until stopped, opening the stream again whenever it breaks. */
export function followActivity({
  eventsUrl,
  listener,
  firstRetryMs = 2_000,
  lastRetryMs = 60_000,
  openEvents = openEventSource,
}: ActivityOptions): () => void {
  let stopped = false;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = firstRetryMs;

  const retry = () => {
    listener.connected(false);
    timer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, lastRetryMs);
  };

  const listen = (events: EventSource) => {
    events.addEventListener('open', () => {
      retryMs = firstRetryMs;
      listener.connected(true);
    });
    events.addEventListener('progress', (event) => listener.progress(eventData<RunProgress>(event)));
    events.addEventListener('started', (event) => listener.started(eventData<RunStarted>(event)));
    events.addEventListener('finished', (event) => listener.finished(eventData<RunFinished>(event)));
    events.addEventListener('error', () => {
      // EventSource would reconnect on its own, with a ticket that is used up by then.
      events.close();
      if (!stopped) retry();
    });
  };

  function open(): void {
    eventsUrl().then(
      (url) => {
        if (stopped) return;
        source = openEvents(url);
        listen(source);
      },
      () => {
        if (!stopped) retry();
      },
    );
  }

  open();
  return () => {
    stopped = true;
    source?.close();
    clearTimeout(timer);
  };
}

/** Every run's live events, for a page that shows many runs at once (one stream, not one a run). */
@Injectable({ providedIn: 'root' })
export class RunActivity {
  private readonly links = inject(LinkService);

  follow(listener: ActivityListener): () => void {
    return followActivity({ eventsUrl: () => this.links.activityEvents(), listener });
  }
}
