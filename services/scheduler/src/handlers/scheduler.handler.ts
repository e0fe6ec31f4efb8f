import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SCHEDULER, SUBJECTS } from '@cairn/contracts';
import { NatsRepository } from '../repositories/nats.repository.js';
import { PauseService } from '../services/pause.service.js';
import { ScheduleService } from '../services/schedule.service.js';
import { SchedulerLoop } from '../services/scheduler-loop.service.js';

/** Pause and status requests, and the catalog's word that schedules changed. */
@Injectable()
export class SchedulerHandler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscriptions: { unsubscribe(): void }[] = [];

  constructor(
    private readonly nats: NatsRepository,
    private readonly pause: PauseService,
    private readonly schedules: ScheduleService,
    private readonly loop: SchedulerLoop,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions = [
      this.nats.serve(SCHEDULER.pause, async ({ untilMs }) => ({
        pausedUntil: await this.pause.pause(untilMs),
      })),
      this.nats.serve(SCHEDULER.status, async () => ({
        pausedUntil: this.pause.until(),
        next: this.schedules.upcoming(),
      })),
      this.nats.subscribe(SUBJECTS.schedulesChanged, () => this.loop.reload()),
    ];
  }

  beforeApplicationShutdown(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }
}
