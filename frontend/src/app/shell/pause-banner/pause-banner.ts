import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { SchedulerPause } from '../../core/scheduler-pause';
import { pauseText } from '../../dashboard/next-run';

/** Another browser or the CLI may pause or resume: the banner asks again this often. */
const REFRESH_MS = 30_000;

/** On every page while scheduled runs are paused: until when, and a Resume button. */
@Component({
  selector: 'app-pause-banner',
  imports: [MatButtonModule, MatIconModule],
  templateUrl: './pause-banner.html',
  styleUrl: './pause-banner.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PauseBanner {
  protected readonly scheduler = inject(SchedulerPause);
  private readonly now = signal(new Date());
  protected readonly resuming = signal(false);

  protected readonly pause = computed(() => {
    const pause = pauseText(this.scheduler.pausedUntil(), this.now());
    if (!pause) return null;
    return {
      text:
        pause.text === 'Paused'
          ? 'Scheduled backups are paused until resumed'
          : `Scheduled backups ${pause.text.replace(/^Paused/, 'paused')}`,
      exact: pause.exact,
    };
  });

  constructor() {
    void this.scheduler.refresh();
    const timer = setInterval(() => {
      this.now.set(new Date());
      void this.scheduler.refresh();
    }, REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected async resume(): Promise<void> {
    this.resuming.set(true);
    await this.scheduler.resume();
    this.resuming.set(false);
  }
}
