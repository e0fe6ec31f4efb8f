import { Inject, Injectable } from '@nestjs/common';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { STREAMS, type Logger } from '@cairn/contracts';
import { CatalogOptions } from '../catalog-options.js';
import { LOGGER } from '../tokens.js';
import { describeError } from '../utils/describe-error.js';
import { NatsRepository } from './nats.repository.js';

/** What became of an event: recorded (or not ours), worth another try later, or unusable. */
export type EventOutcome = 'done' | 'retry' | 'reject';

export type EventHandler = (subject: string, payload: unknown) => Promise<EventOutcome>;

/** How long a failed event waits before JetStream redelivers it. */
const RETRY_DELAY_MS = 2_000;

/** Reads the EVENTS stream through the catalog's durable consumer, one event at a time, in order. */
@Injectable()
export class EventStreamRepository {
  private messages?: ConsumerMessages;
  private loop?: Promise<void>;

  constructor(
    private readonly nats: NatsRepository,
    private readonly options: CatalogOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async start(handle: EventHandler): Promise<void> {
    const consumer = await jetstream(this.nats.connection).consumers.get(
      STREAMS.events.name,
      this.options.eventsConsumer,
    );
    const messages = await consumer.consume();
    this.messages = messages;
    this.loop = this.deliver(messages, handle).catch((error: unknown) => {
      // The client resumes by itself across reconnects; getting here means run events go unrecorded.
      this.logger.fatal({ err: describeError(error) }, 'run events are no longer consumed');
    });
  }

  private async deliver(messages: ConsumerMessages, handle: EventHandler): Promise<void> {
    for await (const message of messages) {
      const outcome = await handle(message.subject, parseJson(message.data)).catch((error: unknown) => {
        this.logger.error({ subject: message.subject, err: describeError(error) }, 'event handler failed');
        return 'retry' as const;
      });
      // Acknowledged only after the database write: a crash before this line means redelivery.
      if (outcome === 'done') message.ack();
      else if (outcome === 'retry') message.nak(RETRY_DELAY_MS);
      // No reason text: servers before 2.10.4 ignore a `+TERM <reason>` and redeliver.
      else message.term();
    }
  }

  /** Stops taking events and waits for the one being recorded. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}
