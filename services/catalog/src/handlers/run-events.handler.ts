import { Inject, Injectable } from '@nestjs/common';
import {
  CONSUMERS,
  JetStreamConsumer,
  onMessage,
  RunFinished,
  RunStarted,
  STREAMS,
  SUBJECTS,
  type Logger,
  type NatsConnection,
} from '@cairn/contracts';
import { RunService } from '../services/run.service.js';
import { SnapshotService } from '../services/snapshot.service.js';
import { LOGGER } from '../tokens.js';

/** How long an event whose write failed waits before JetStream redelivers it. */
const RETRY_DELAY_MS = 2_000;

/** A finished event must say how the run ended. */
const FinishedEvent = RunFinished.refine((event) => event.status !== 'queued' && event.status !== 'running', {
  message: 'a finished run is neither queued nor running',
  path: ['status'],
});

/**
 * Records run events from the EVENTS stream (the runners' side of a run's life), one at a time, in
 * order; an event is acknowledged only after its database write. Other run events are for other
 * services.
 */
@Injectable()
export class RunEventsHandler {
  constructor(
    private readonly runs: RunService,
    private readonly snapshots: SnapshotService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The catalog's reader of its durable EVENTS consumer, to be started once NATS is connected. */
  consumer(nc: NatsConnection): JetStreamConsumer {
    return new JetStreamConsumer(nc, {
      stream: STREAMS.events.name,
      durable: CONSUMERS.catalog,
      handlers: {
        [SUBJECTS.runStarted]: onMessage(RunStarted, (event) => this.runs.recordStarted(event)),
        [SUBJECTS.runFinished]: onMessage(FinishedEvent, async (event) => {
          await this.runs.recordFinished(event);
          await this.snapshots.syncFromRun(event);
        }),
      },
      concurrency: 1,
      retryAfterMs: RETRY_DELAY_MS,
      logger: this.logger,
    });
  }
}
