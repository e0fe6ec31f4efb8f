import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../../core/api';
import type { Delivery } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { formatDateTime, formatDuration, formatRelative } from '../../core/format';

const FIRST_ROWS = 10;

/** Every attempt to deliver through one channel, newest first. */
@Component({
  selector: 'app-delivery-log',
  imports: [MatButtonModule, MatIconModule, MatProgressBarModule],
  templateUrl: './delivery-log.html',
  styleUrl: './delivery-log.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeliveryLog {
  private readonly api = inject(ApiService);
  readonly channelId = input.required<string>();
  /** Changes when the parent knows of a new delivery (a test send), to load the log again. */
  readonly revision = input(0);

  protected readonly deliveries = signal<Delivery[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly showAll = signal(false);
  protected readonly shown = computed(() =>
    this.showAll() ? this.deliveries() : this.deliveries().slice(0, FIRST_ROWS),
  );
  protected readonly formatDateTime = formatDateTime;
  protected readonly formatDuration = formatDuration;
  protected readonly formatRelative = formatRelative;

  constructor() {
    effect(() => {
      this.revision();
      void this.load(this.channelId());
    });
  }

  private async load(channelId: string): Promise<void> {
    this.loading.set(true);
    try {
      this.deliveries.set(await this.api.deliveries(channelId));
      this.error.set(null);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
