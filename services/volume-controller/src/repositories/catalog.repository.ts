// The catalog, as the controller reaches it over NATS: the jobs by name, and a run's life as a
// runner reports it (the run created, then its started and finished events on the EVENTS stream),
// so that a volume's backups and restores are in the job's history, its metrics and its reports.
// Connected on first use and again after a failure, never at start: the controller backs volumes
// up whether or not the catalog is there.
import { jetstream } from '@nats-io/jetstream';
import type { z } from 'zod';
import {
  CATALOG,
  connectNats,
  request,
  RunFinished,
  RunStarted,
  SUBJECTS,
  type NatsConnection,
  type NatsSettings,
} from '@cairn/contracts';

/** How long a list of the jobs serves: a job made since is found at most this late. */
const JOBS_FRESH_MS = 5_000;

export interface NewRun {
  id: string;
  jobId: string;
  kind: 'backup' | 'restore';
  trigger: 'schedule' | 'api';
}

export interface CatalogRepository {
  /** The id of the job of that name; undefined when the catalog has none. */
  jobId(name: string): Promise<string | undefined>;
  /** Idempotent on the run's id. */
  createRun(run: NewRun): Promise<void>;
  /** Each event once per run, however often it is sent (the stream drops a repeated message id). */
  started(event: z.input<typeof RunStarted>): Promise<void>;
  finished(event: z.input<typeof RunFinished>): Promise<void>;
  close(): Promise<void>;
}

export class NatsCatalogRepository implements CatalogRepository {
  private connection?: Promise<NatsConnection>;
  private jobs?: { byName: Map<string, string>; atMs: number };

  constructor(private readonly settings: NatsSettings) {}

  async jobId(name: string): Promise<string | undefined> {
    // One list for all the pods reported at once (a resync), not one each.
    if (!this.jobs || Date.now() - this.jobs.atMs > JOBS_FRESH_MS) {
      const listed = await request(await this.nats(), CATALOG.jobs.list, {});
      this.jobs = { byName: new Map(listed.map((job) => [job.name, job.id])), atMs: Date.now() };
    }
    return this.jobs.byName.get(name);
  }

  async createRun(run: NewRun): Promise<void> {
    await request(await this.nats(), CATALOG.runs.create, run);
  }

  started(event: z.input<typeof RunStarted>): Promise<void> {
    return this.publish(SUBJECTS.runStarted, `${event.runId}.started`, RunStarted.parse(event));
  }

  finished(event: z.input<typeof RunFinished>): Promise<void> {
    return this.publish(SUBJECTS.runFinished, `${event.runId}.finished`, RunFinished.parse(event));
  }

  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    await connection?.drain();
  }

  private async publish(subject: string, messageId: string, event: unknown): Promise<void> {
    await jetstream(await this.nats()).publish(subject, JSON.stringify(event), { msgID: messageId });
  }

  /** The connection, made now when there is none (a failed attempt is tried again next time). */
  private nats(): Promise<NatsConnection> {
    this.connection ??= connectNats(this.settings, 'cairn-volume-controller');
    this.connection.catch(() => (this.connection = undefined));
    return this.connection;
  }
}
