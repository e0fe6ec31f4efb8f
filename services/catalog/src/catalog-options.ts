import type { MetricsEnv, NatsSettings } from '@cairn/contracts';

/** Where the catalog connects and how it names what it shares with other processes. */
export class CatalogOptions {
  constructor(
    readonly databaseUrl: string,
    readonly nats: NatsSettings,
    /** Where `/metrics` listens. */
    readonly metrics: MetricsEnv,
    /** How long to keep trying PostgreSQL and NATS at start (CAIRN_STARTUP_WAIT_MS). */
    readonly startupWaitMs: number,
  ) {}
}
