import { Injectable, inject, signal } from '@angular/core';
import { ApiService } from './api';
import { describeError } from './errors';

/** The choices of a pause: Duplicati's, from five minutes to a day, or until resumed (null). */
export const PAUSE_CHOICES: readonly { label: string; durationMs: number | null }[] = [
  { label: '5 minutes', durationMs: 5 * 60_000 },
  { label: '15 minutes', durationMs: 15 * 60_000 },
  { label: '30 minutes', durationMs: 30 * 60_000 },
  { label: '1 hour', durationMs: 3_600_000 },
  { label: '4 hours', durationMs: 4 * 3_600_000 },
  { label: '1 day', durationMs: 86_400_000 },
  { label: 'Until resumed', durationMs: null },
];

/** Whether scheduled runs are paused, shared by the shell's banner and the dashboard's menu. */
@Injectable({ providedIn: 'root' })
export class SchedulerPause {
  private readonly api = inject(ApiService);
  /** Epoch ms; null when not paused (or the scheduler has not answered). */
  readonly pausedUntil = signal<number | null>(null);
  readonly error = signal<string | null>(null);

  async refresh(): Promise<void> {
    // A scheduler that does not answer leaves the last known state: the dashboard says it is missing.
    await this.apply(() => this.api.scheduler(), false);
  }

  pause(durationMs: number | null): Promise<void> {
    return this.apply(() => this.api.pauseScheduler(durationMs), true);
  }

  resume(): Promise<void> {
    return this.apply(() => this.api.resumeScheduler(), true);
  }

  private async apply(call: () => Promise<{ pausedUntil: number | null }>, report: boolean): Promise<void> {
    try {
      this.pausedUntil.set((await call()).pausedUntil);
      this.error.set(null);
    } catch (error) {
      if (report) this.error.set(describeError(error));
    }
  }
}
