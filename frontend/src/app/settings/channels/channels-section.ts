import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { ApiService } from '../../core/api';
import type { Channel } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { ChannelCard } from './channel-card';
import { ChannelForm } from './channel-form';
import { removingById, replacingById } from '../../core/by-id';

/** The notification channels: where Cairn reports finished, failed and overdue backups. */
@Component({
  selector: 'app-channels-section',
  imports: [ChannelCard, ChannelForm, MatButtonModule, MatIconModule, MatProgressBarModule],
  templateUrl: './channels-section.html',
  styleUrl: './channels-section.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelsSection {
  private readonly api = inject(ApiService);

  protected readonly channels = signal<Channel[]>([]);
  protected readonly loading = signal(true);
  protected readonly adding = signal(false);
  protected readonly error = signal<string | null>(null);

  constructor() {
    void this.load();
  }

  protected added(channel: Channel): void {
    this.adding.set(false);
    this.channels.update((channels) => [...channels, channel]);
  }

  protected changed(channel: Channel): void {
    this.channels.update(replacingById(channel));
  }

  protected removed(id: string): void {
    this.channels.update(removingById(id));
  }

  private async load(): Promise<void> {
    try {
      this.channels.set(await this.api.channels());
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }
}
