import { Inject, Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import {
  CATALOG,
  request,
  SUBJECTS,
  type NatsConnection,
  type Run,
  type RunFinished,
  type RunProgress,
} from '@cairn/contracts';
import { NATS } from '../system/tokens.js';

export type RunEvent =
  | { type: 'status'; data: Run }
  | { type: 'progress'; data: RunProgress }
  | { type: 'started'; data: unknown }
  | { type: 'finished'; data: RunFinished };

const FINISHED = new Set(['succeeded', 'warning', 'failed', 'cancelled']);

/**
 * A run's live events: its current state first, then progress (core NATS, ~2/s) and the started
 * and finished events (the JetStream subjects, seen here as plain subscriptions); ends when it ends.
 */
@Injectable()
export class RunEvents {
  constructor(@Inject(NATS) private readonly nc: NatsConnection) {}

  watch(runId: string): Observable<RunEvent> {
    return new Observable<RunEvent>((subscriber) => {
      const on = <T>(subject: string, handle: (data: T) => void) =>
        this.nc.subscribe(subject, {
          callback: (error, msg) => {
            if (!error) handle(msg.json<T>());
          },
        });
      const subscriptions = [
        on<RunProgress>(SUBJECTS.runProgress(runId), (data) => subscriber.next({ type: 'progress', data })),
        on<{ runId: string }>(SUBJECTS.runStarted, (data) => {
          if (data.runId === runId) subscriber.next({ type: 'started', data });
        }),
        on<RunFinished>(SUBJECTS.runFinished, (data) => {
          if (data.runId !== runId) return;
          subscriber.next({ type: 'finished', data });
          subscriber.complete();
        }),
      ];
      // Subscribed first, asked second: a run that ends in between is still seen.
      request(this.nc, CATALOG.runs.get, { id: runId }).then(
        (run) => {
          subscriber.next({ type: 'status', data: run });
          if (FINISHED.has(run.status)) subscriber.complete();
        },
        (error: unknown) => subscriber.error(error),
      );
      return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
    });
  }
}
