import type { MetricsEnv, NatsSettings } from '@cairn/contracts';

/** Where the catalog connects and how it names what it shares with other processes. */
export class CatalogOptions {
  constructor(
    readonly databaseUrl: string,
    readonly nats: NatsSettings,
    /**
     * Prefix of every core NATS subject the catalog answers or publishes ('' in production). Lets
     * tests run a catalog beside others on one NATS server without answering their requests.
     */
    readonly namespace: string,
    /** The durable EVENTS consumer whose run events the catalog records. */
    readonly eventsConsumer: string,
    /** Where `/metrics` listens. */
    readonly metrics: MetricsEnv,
    /** How long to keep trying PostgreSQL and NATS at start (CAIRN_STARTUP_WAIT_MS). */
    readonly startupWaitMs: number,
  ) {}
}
