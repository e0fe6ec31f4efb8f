import { jetstream } from '@nats-io/jetstream';
import {
  connectNats,
  ensureStreams,
  SUBJECTS,
  type Job,
  type NatsConnection,
  type ResolvedChannel,
  type RunFinished,
} from '@cairn/contracts';
import { main, type RunningNotifier } from '../../src/main.js';
import { LogCapture } from './log-capture.js';
import { services } from './nats.js';
import { standInCatalog } from './stand-in-catalog.js';

/** A private NATS server, a stand-in catalog on it, and notifiers started and stopped at will. */
export async function harness(env: NodeJS.ProcessEnv = {}) {
  const nats = await services.privateNats();
  const nc: NatsConnection = await connectNats(nats.url, 'notifier-test');
  await ensureStreams(nc);
  const catalog = standInCatalog(nc);
  const logs = new LogCapture();
  const running = new Set<RunningNotifier>();
  const start = async (overrides: NodeJS.ProcessEnv = {}) => {
    const notifier = await main(
      {
        NATS_URL: nats.url,
        CAIRN_NOTIFIER_RETRY_MS: '20',
        CAIRN_LOG_LEVEL: 'trace',
        CAIRN_METRICS_PORT: '0',
        CAIRN_PUBLIC_URL: 'https://cairn.example.net/',
        ...env,
        ...overrides,
      },
      { logDestination: logs },
    );
    running.add(notifier);
    return {
      close: async () => {
        running.delete(notifier);
        await notifier.close();
      },
    };
  };
  return {
    nc,
    catalog,
    logs,
    start,
    addJob(job: Job): Job {
      catalog.state.jobs.set(job.id, job);
      return job;
    },
    addChannel(channel: ResolvedChannel): ResolvedChannel {
      catalog.state.channels.set(channel.id, channel);
      return channel;
    },
    /** `asNew`: without the message id, so JetStream's duplicate window cannot drop it. */
    async publish(event: RunFinished, options: { asNew?: boolean } = {}): Promise<void> {
      await jetstream(nc).publish(
        SUBJECTS.runFinished,
        JSON.stringify(event),
        options.asNew ? {} : { msgID: event.runId },
      );
    },
    stop: async () => {
      await Promise.all([...running].map((notifier) => notifier.close()));
      catalog.stop();
      await nc.close();
      await nats.stop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;
