import { Injectable } from '@nestjs/common';
import { NatsRepository } from '../repositories/nats.repository.js';

/**
 * `cairn server pause`: while paused nothing fires (runs already going continue). The pause is
 * shared through JetStream, so every replica obeys it and a restarted scheduler still knows it;
 * it lifts by itself when its time has come.
 */
@Injectable()
export class PauseService {
  private pausedUntil: number | null = null;
  private subscription?: { unsubscribe(): void };

  constructor(private readonly nats: NatsRepository) {}

  async start(): Promise<void> {
    this.subscription = this.nats.onPause((until) => (this.pausedUntil = until));
    this.pausedUntil ??= await this.nats.readPause();
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }

  /** Until when the scheduler is paused; null when it is not (a pause that has run out is none). */
  until(now = Date.now()): number | null {
    return this.pausedUntil !== null && this.pausedUntil > now ? this.pausedUntil : null;
  }

  /** `null` resumes. */
  async pause(untilMs: number | null): Promise<number | null> {
    this.pausedUntil = untilMs;
    await this.nats.writePause(untilMs);
    return this.until();
  }
}
