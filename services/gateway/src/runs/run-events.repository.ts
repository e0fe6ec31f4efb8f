import { Inject, Injectable } from '@nestjs/common';
import { interval, map, merge, Observable } from 'rxjs';
import {
  CATALOG,
  request,
  SUBJECTS,
  type NatsConnection,
  type Run,
  type RunFinished,
  type RunProgress,
  type RunStarted,
} from '@cairn/contracts';
import { NATS } from '../system/tokens.js';

/** What a run reports as it goes. */
type RunReport =
  | { type: 'progress'; data: RunProgress }
  | { type: 'started'; data: RunStarted }
  | { type: 'finished'; data: RunFinished };

export type RunEvent =
  RunReport | { type: 'status'; data: Run } | { type: 'ping'; data: Record<string, never> };

const FINISHED = new Set(['succeeded', 'warning', 'failed', 'cancelled']);
/**
 * An event now and then on a quiet stream of every run: proxies close connections idle for a minute
 * (nginx's default), and each reconnect would cost the dashboard a reload.
 */
export const PING_EVERY_MS = 25_000;

/**
 * Runs' live events: progress (core NATS, ~2/s a run) and the started and finished events (the
 * JetStream subjects, seen here as plain subscriptions).
 */
@Injectable()
export class RunEvents {
  constructor(@Inject(NATS) private readonly nc: NatsConnection) {}

  /** One run's: its current state first, then its events; ends when it ends. */
  watch(runId: string): Observable<RunEvent> {
    return new Observable<RunEvent>((subscriber) => {
      const unsubscribe = this.subscribe(SUBJECTS.runProgress(runId), (event) => {
        if (event.data.runId !== runId) return;
        subscriber.next(event);
        if (event.type === 'finished') subscriber.complete();
      });
      // Subscribed first, asked second: a run that ends in between is still seen.
      request(this.nc, CATALOG.runs.get, { id: runId }).then(
        (run) => {
          subscriber.next({ type: 'status', data: run });
          if (FINISHED.has(run.status)) subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return unsubscribe;
    });
  }

  /** Every run's, for as long as it is watched, with a ping when all is quiet. */
  watchAll(): Observable<RunEvent> {
    const events = new Observable<RunEvent>((subscriber) =>
      this.subscribe(SUBJECTS.runProgressAll, (event) => subscriber.next(event)),
    );
    const pings = interval(PING_EVERY_MS).pipe(map((): RunEvent => ({ type: 'ping', data: {} })));
    return merge(events, pings);
  }

  /** Progress on `progressSubject`, and every started and finished event; returns the unsubscribe. */
  private subscribe(progressSubject: string, next: (event: RunReport) => void): () => void {
    const on = <T>(subject: string, handle: (data: T) => void) =>
      this.nc.subscribe(subject, {
        callback: (error, msg) => {
          if (!error) handle(msg.json<T>());
        },
      });
    const subscriptions = [
      on<RunProgress>(progressSubject, (data) => next({ type: 'progress', data })),
      on<RunStarted>(SUBJECTS.runStarted, (data) => next({ type: 'started', data })),
      on<RunFinished>(SUBJECTS.runFinished, (data) => next({ type: 'finished', data })),
    ];
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }
}
