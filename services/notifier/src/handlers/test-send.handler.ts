import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { CATALOG, HandlerError, NOTIFIER, serve, type Logger, type NatsConnection } from '@cairn/contracts';
import { Deliverer } from '../delivery/deliverer.js';
import type { ReportOrigin } from '../report/run-report.js';
import { CatalogRepository } from '../repositories/catalog.repository.js';
import { LOGGER, NATS, ORIGIN } from '../tokens.js';

/**
 * "Send test": one attempt, now, answered with the receiver's verdict; recorded like any delivery.
 * Also the status probe that container health checks ask.
 */
@Injectable()
export class TestSendHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscriptions: Subscription[] = [];

  constructor(
    @Inject(NATS) private readonly nc: NatsConnection,
    private readonly catalog: CatalogRepository,
    private readonly deliverer: Deliverer,
    @Inject(ORIGIN) private readonly origin: ReportOrigin,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const options = { queue: 'notifier', logger: this.logger };
    this.subscriptions = [
      serve(this.nc, NOTIFIER.status, async () => ({ ok: true as const }), options),
      serve(
        this.nc,
        NOTIFIER.test,
        async ({ channelId }) => {
          const [channel] = await this.catalog.call(CATALOG.channels.resolve, { ids: [channelId] });
          if (!channel) throw new HandlerError('not-found', `no channel with id ${channelId}`, 'channelId');
          const started = Date.now();
          const outcome = await this.deliverer.deliver(
            {
              key: `test:${randomUUID()}`,
              audience: 'success',
              data: {
                event: 'test',
                level: 'success',
                host: this.origin.host,
                job: { id: null, name: 'Test', sources: [], repositoryPath: '' },
                run: null,
                stats: {},
                overdue: null,
              },
            },
            channel,
            1,
          );
          const ok = outcome.status === 'delivered';
          return {
            ok,
            message: ok ? 'delivered' : (outcome.error ?? 'not delivered'),
            durationMs: Date.now() - started,
          };
        },
        options,
      ),
    ];
  }

  beforeApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
