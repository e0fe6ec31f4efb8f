import { Inject, Injectable } from '@nestjs/common';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { z } from 'zod';
import {
  ServiceMessaging,
  RunRequest,
  STREAMS,
  SUBJECTS,
  type Logger,
  type NatsConnection,
} from '@cairn/contracts';
import { LOGGER, NATS } from '../tokens.js';

const PauseState = z.object({ pausedUntil: z.number().nullable() });

/** Everything the scheduler says and hears on NATS. */
@Injectable()
export class NatsRepository extends ServiceMessaging {
  private readonly js: JetStreamClient;

  constructor(@Inject(NATS) nc: NatsConnection, @Inject(LOGGER) logger: Logger) {
    super(nc, logger, 'scheduler');
    this.js = jetstream(nc);
  }

  /**
   * Queues a run request with the run id as JetStream message id: a second publish of the same
   * fire (by another replica, or a retry) is dropped by the stream. Returns whether it was one.
   */
  async publishRunRequest(runRequest: RunRequest): Promise<{ duplicate: boolean }> {
    const ack = await this.js.publish(SUBJECTS.runRequest, JSON.stringify(RunRequest.parse(runRequest)), {
      msgID: runRequest.runId,
    });
    return { duplicate: ack.duplicate };
  }

  subscribe(subject: string, callback: () => void): { unsubscribe(): void } {
    return this.nc.subscribe(subject, { callback: () => callback() });
  }

  /** The pause every replica obeys, kept as the last message of its subject in the SCHEDULER stream. */
  async readPause(): Promise<number | null> {
    const jsm = await jetstreamManager(this.nc);
    const stored = await jsm.streams.getMessage(STREAMS.scheduler.name, {
      last_by_subj: SUBJECTS.schedulerPauseState,
    });
    return stored ? PauseState.parse(stored.json()).pausedUntil : null;
  }

  async writePause(pausedUntil: number | null): Promise<void> {
    await this.js.publish(SUBJECTS.schedulerPauseState, JSON.stringify({ pausedUntil }));
  }

  /** Told of every pause change, whichever replica made it. */
  onPause(callback: (pausedUntil: number | null) => void): { unsubscribe(): void } {
    return this.nc.subscribe(SUBJECTS.schedulerPauseState, {
      callback: (_error, msg) => {
        const state = PauseState.safeParse(msg.json());
        if (state.success) callback(state.data.pausedUntil);
      },
    });
  }
}
