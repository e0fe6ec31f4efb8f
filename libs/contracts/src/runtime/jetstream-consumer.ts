import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';
import type { Logger } from './logger.js';
import { safeJson } from './nats.js';

/**
 * What became of a message its handler took: nothing (done: acknowledged), or deliver it again
 * after a delay (0: at once, to whichever consumer pulls next).
 */
export type Settlement = void | { redeliverAfterMs: number };

/** The schema a subject's payloads must match, and what to do with one that does. */
export interface SubjectHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  handle(event: z.output<S>): Promise<Settlement>;
}

/** A subject's handler, typed by its schema. */
export function onMessage<S extends z.ZodType>(
  schema: S,
  handle: (event: z.output<S>) => Promise<Settlement>,
): SubjectHandler<S> {
  return { schema, handle };
}

export interface JetStreamConsumerOptions {
  stream: string;
  /** The durable consumer, created beforehand (ensureStreams, ensureRunnerConsumer). */
  durable: string;
  /** By subject. Messages on other subjects are for other readers of the stream: acknowledged unread. */
  handlers: Record<string, SubjectHandler>;
  /** At most this many handlers run at once; a message is pulled only when one of them is free. */
  concurrency: number;
  /** A handler that threw is tried again this long after. */
  retryAfterMs: number;
  logger: Logger;
  /** How long one pull waits for messages: also the longest stop() waits for the pull under way. */
  pullExpiresMs?: number;
}

/** What JetStream gives a consumer created without an ack wait (30 s, in nanoseconds). */
const SERVER_DEFAULT_ACK_WAIT = 30e9;
/** After a failed pull (the server away, the consumer missing), the next one waits this long. */
const PULL_RETRY_MS = 1000;

/**
 * Reads a durable JetStream consumer: pulls messages only while a handler is free, validates each
 * against its subject's schema (an invalid one is terminated: redelivering it would fail the same
 * way for ever), tells the server the message is still being worked on while its handler runs, and
 * settles it by the handler's answer. A message is acknowledged only after its handler returned:
 * a crash before that means redelivery, once the consumer's ack wait has passed.
 */
export class JetStreamConsumer {
  private consumer?: Consumer;
  private stopping = false;
  private loop?: Promise<void>;
  private readonly inFlight = new Set<Promise<void>>();
  /** Wakes the pull loop when it waits for a free handler and stop() is called. */
  private readonly wake = Promise.withResolvers<void>();
  private keepAliveMs = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: JetStreamConsumerOptions,
  ) {}

  /** Rejects when the consumer does not exist; later failures are logged and the pull retried. */
  async start(): Promise<void> {
    const consumer = await this.open();
    // A quarter of the ack wait the consumer really has, whoever set it, so no message in hand expires.
    const { ack_wait: ackWait = SERVER_DEFAULT_ACK_WAIT } = (await consumer.info(true)).config;
    this.keepAliveMs = ackWait / 1e6 / 4;
    this.loop = this.pull();
  }

  /** Pulls no more, lets the handlers in hand finish and their settlements reach the server. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.resolve();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    if (!this.nc.isClosed()) await this.nc.flush().catch(() => undefined);
  }

  private async open(): Promise<Consumer> {
    this.consumer ??= await jetstream(this.nc).consumers.get(this.options.stream, this.options.durable);
    return this.consumer;
  }

  private async pull(): Promise<void> {
    const { concurrency, logger, pullExpiresMs = 2000 } = this.options;
    while (!this.stopping) {
      const free = concurrency - this.inFlight.size;
      if (free === 0) {
        await Promise.race([...this.inFlight, this.wake.promise]);
        continue;
      }
      try {
        const batch = await (await this.open()).fetch({ max_messages: free, expires: pullExpiresMs });
        for await (const message of batch) {
          // Pulled as the consumer was stopping: another reader may have it now.
          if (this.stopping) message.nak();
          else this.track(this.settle(message));
        }
      } catch (error) {
        if (this.stopping) break;
        this.consumer = undefined;
        logger.warn({ err: error, durable: this.options.durable }, 'cannot pull messages; trying again');
        await sleep(PULL_RETRY_MS);
      }
    }
  }

  private track(settling: Promise<void>): void {
    // Settling fails only when the connection is gone: the message comes back after its ack wait.
    const handling = settling.catch((error: unknown) => {
      this.options.logger.warn({ err: error, durable: this.options.durable }, 'cannot settle a message');
    });
    this.inFlight.add(handling);
    void handling.finally(() => this.inFlight.delete(handling));
  }

  private async settle(message: JsMsg): Promise<void> {
    const { logger, handlers, retryAfterMs } = this.options;
    const subject = message.subject;
    const handler = handlers[subject];
    if (!handler) return this.ack(message);
    const parsed = handler.schema.safeParse(safeJson(message.data));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      logger.warn(
        { subject, field: issue?.path.join('.'), problem: issue?.message },
        'invalid message dropped',
      );
      // No reason text: servers before 2.10.4 ignore a `+TERM <reason>` and redeliver.
      return message.term();
    }
    const keepAlive = setInterval(() => message.working(), this.keepAliveMs);
    let settlement: Settlement;
    try {
      settlement = await handler.handle(parsed.data);
    } catch (error) {
      logger.error({ err: error, subject, retryAfterMs }, 'handling failed; the message comes back');
      settlement = { redeliverAfterMs: retryAfterMs };
    } finally {
      clearInterval(keepAlive);
    }
    if (!settlement) return this.ack(message);
    if (settlement.redeliverAfterMs > 0) message.nak(settlement.redeliverAfterMs);
    else message.nak();
  }

  /** Waits for the server to have the acknowledgement; a lost one means the message comes back. */
  private async ack(message: JsMsg): Promise<void> {
    await message.ackAck().catch((error: unknown) => {
      this.options.logger.warn({ err: error, subject: message.subject }, 'acknowledgement lost');
    });
  }
}
