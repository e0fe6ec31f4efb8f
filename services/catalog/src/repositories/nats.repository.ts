import { Inject, Injectable } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import type { z } from 'zod';
import {
  connectNats,
  ensureStreams,
  request,
  serve,
  type Endpoint,
  type Logger,
  type NatsConnection,
} from '@cairn/contracts';
import { CatalogOptions } from '../catalog-options.js';
import { LOGGER } from '../tokens.js';
import { databaseDown, isDatabaseDown } from '../utils/database-down.js';

/** Replicas share the requests: each one is answered by one catalog. */
const QUEUE_GROUP = 'catalog';

/** The catalog's NATS connection: answering endpoints and publishing notices. */
@Injectable()
export class NatsRepository {
  #connection?: NatsConnection;
  private readonly subscriptions: Subscription[] = [];
  /** Requests being answered, so shutdown can wait for their replies. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: CatalogOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get connection(): NatsConnection {
    if (!this.#connection) throw new Error('NATS is not connected yet');
    return this.#connection;
  }

  async connect(): Promise<void> {
    this.#connection = await connectNats(this.options.nats, 'cairn-catalog', {
      waitMs: this.options.startupWaitMs,
      logger: this.logger,
    });
    await ensureStreams(this.#connection);
  }

  serve<E extends Endpoint>(
    endpoint: E,
    handler: (request: z.output<E['request']>) => Promise<z.input<E['response']>>,
  ): void {
    const tracked = (request: z.output<E['request']>) => {
      const answer = handler(request).catch((error: unknown) => {
        if (!isDatabaseDown(error)) throw error;
        this.logger.warn({ subject: endpoint.subject }, 'request refused: the database is not reachable');
        throw databaseDown();
      });
      this.inFlight.add(answer);
      void answer.catch(() => undefined).finally(() => this.inFlight.delete(answer));
      return answer;
    };
    this.subscriptions.push(
      serve(this.connection, endpoint, tracked, {
        queue: QUEUE_GROUP,
        logger: this.logger,
      }),
    );
  }

  /** Asks another service (a runner). */
  request<E extends Endpoint>(endpoint: E, payload: z.input<E['request']>): Promise<z.output<E['response']>> {
    return request(this.connection, endpoint, payload);
  }

  publish(subject: string, payload: unknown): void {
    this.connection.publish(subject, JSON.stringify(payload));
  }

  /** Stops taking requests, lets those in hand be answered, then flushes and closes the connection. */
  async drain(): Promise<void> {
    const connection = this.#connection;
    if (!connection || connection.isClosed()) return;
    await Promise.allSettled(this.subscriptions.map((subscription) => subscription.drain()));
    await Promise.allSettled([...this.inFlight]);
    await connection.drain();
  }
}
