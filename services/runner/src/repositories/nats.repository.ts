import { Inject, Injectable } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { z } from 'zod';
import {
  ServiceMessaging,
  sendStream,
  SUBJECTS,
  type Logger,
  type NatsConnection,
  type RunProgress,
} from '@cairn/contracts';
import { LOGGER, NATS } from '../tokens.js';

/** Everything the runner says and hears on NATS. */
@Injectable()
export class NatsRepository extends ServiceMessaging {
  private readonly js: JetStreamClient;

  constructor(@Inject(NATS) nc: NatsConnection, @Inject(LOGGER) logger: Logger) {
    super(nc, logger, 'runner');
    this.js = jetstream(nc);
  }

  /** Publishes a validated event to its JetStream stream and waits for the stream to have it. */
  async publishEvent<S extends z.ZodType>(subject: string, schema: S, event: z.input<S>): Promise<void> {
    await this.js.publish(subject, JSON.stringify(schema.parse(event)));
  }

  /** Sends bytes to a receiver's inbox, as fast as it takes them (byte-stream.ts). */
  stream(inbox: string, bytes: AsyncIterable<Buffer>): Promise<void> {
    return sendStream(this.nc, inbox, bytes);
  }

  /** Core NATS: progress is frequent and worthless a second later, so it is not persisted. */
  publishProgress(progress: RunProgress): void {
    this.nc.publish(SUBJECTS.runProgress(progress.runId), JSON.stringify(progress));
  }

  onCancel(runId: string, callback: () => void): () => void {
    const subscription = this.nc.subscribe(SUBJECTS.runCancel(runId), { callback: () => callback() });
    return () => subscription.unsubscribe();
  }
}
