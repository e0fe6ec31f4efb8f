import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from '@cairn/contracts';
import type { NotifierConfig } from '../config.js';
import { LOGGER, NOTIFIER_CONFIG } from '../tokens.js';
import { OverdueService } from './overdue.service.js';

/** Looks for overdue jobs now and then; one check at a time, a failed one is retried next time. */
@Injectable()
export class OverdueWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly overdue: OverdueService,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.CAIRN_NOTIFIER_OVERDUE_CHECK_MS);
  }

  private tick(): void {
    this.running = this.running.then(() =>
      this.overdue
        .check()
        .catch((error: unknown) =>
          this.logger.warn({ error: (error as Error).message }, 'overdue check failed'),
        ),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
