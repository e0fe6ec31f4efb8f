import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Logger } from '@cairn/contracts';
import type { SchedulerConfig } from '../config.js';
import { LOGGER, SCHEDULER_CONFIG } from '../tokens.js';
import { PauseService } from './pause.service.js';
import { ScheduleService } from './schedule.service.js';

/** Jobs are re-read this often even without a change event, in case one was missed while disconnected. */
const RELOAD_MS = 5 * 60_000;

/**
 * The scheduler's heartbeat: every tick reloads the jobs when asked to (or when it has been a
 * while), catches up once after the first load, and fires what is due. One step at a time, and a
 * tick that finds a step still running (a slow catalog) is skipped rather than queued.
 */
@Injectable()
export class SchedulerLoop implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private loadedAt?: number;
  private reloadWanted = true;
  private caughtUp = false;

  constructor(
    private readonly schedules: ScheduleService,
    private readonly pause: PauseService,
    @Inject(SCHEDULER_CONFIG) private readonly config: SchedulerConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.pause.start();
    this.timer = setInterval(() => this.beat(), this.config.CAIRN_SCHEDULER_TICK_MS);
    this.beat();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    this.pause.stop();
  }

  /** The jobs changed: picked up on the next tick. */
  reload(): void {
    this.reloadWanted = true;
  }

  private beat(): void {
    if (this.running) return;
    this.running = this.step()
      .catch((error: unknown) => this.logger.error({ err: error }, 'scheduler step failed'))
      .finally(() => (this.running = undefined));
  }

  private async step(): Promise<void> {
    const now = Date.now();
    if (this.reloadWanted || this.loadedAt === undefined || now - this.loadedAt > RELOAD_MS) {
      try {
        this.reloadWanted = false;
        await this.schedules.load();
        this.loadedAt = now;
      } catch (error) {
        this.reloadWanted = true;
        this.logger.warn({ err: error }, 'cannot load the jobs from the catalog; trying again');
        return;
      }
    }
    if (!this.caughtUp) this.caughtUp = await this.schedules.catchUp();
    await this.schedules.tick();
  }
}
