import { Inject, Injectable } from '@nestjs/common';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { z } from 'zod';
import {
  request,
  sendStream,
  serve,
  SUBJECTS,
  type Endpoint,
  type Logger,
  type NatsConnection,
  type RunProgress,
} from '@cairn/contracts';
import { LOGGER, NATS } from '../tokens.js';

/** Everything the runner says and hears on NATS. */
@Injectable()
export class NatsRepository {
  private readonly js: JetStreamClient;

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.js = jetstream(nc);
  }

  request<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>> {
    return request(this.nc, endpoint, payload);
  }

  /** Answers an endpoint; runners share the load in one queue group. */
  serve<E extends Endpoint>(
    endpoint: E,
    handler: (payload: z.output<E['request']>) => Promise<z.input<E['response']>>,
  ): { unsubscribe(): void } {
    return serve(this.nc, endpoint, handler, {
      queue: 'runner',
      logger: this.logger,
    });
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
