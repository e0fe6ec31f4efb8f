import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { Channel, Delivery } from '../../core/api.types';
import { formatDateTime } from '../../core/format';

/** Where the run's report went: each attempt through each channel, newest first. */
@Component({
  selector: 'app-run-reports',
  imports: [MatIconModule, RouterLink],
  templateUrl: './run-reports.html',
  styleUrl: './run-reports.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunReports {
  readonly deliveries = input.required<Delivery[]>();
  /** For the channels' names; a channel deleted since is named by what it was sent. */
  readonly channels = input<Channel[]>([]);

  protected readonly rows = computed(() => {
    const names = new Map(this.channels().map((channel) => [channel.id, channel.name]));
    return this.deliveries().map((delivery) => {
      const channel = names.get(delivery.channelId);
      const to = channel ? `“${channel}”` : 'a channel deleted since';
      return {
        id: delivery.id,
        delivered: delivery.status === 'delivered',
        text: delivery.status === 'delivered' ? `Sent to ${to}` : `Could not send to ${to}`,
        error: delivery.error,
        attempt: delivery.attempt > 1 ? `attempt ${delivery.attempt}` : '',
        at: formatDateTime(delivery.at),
      };
    });
  });
}
