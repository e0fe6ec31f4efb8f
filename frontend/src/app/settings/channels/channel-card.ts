import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { firstValueFrom } from 'rxjs';
import { ApiService } from '../../core/api';
import type { Channel, TestSendResult } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { formatDuration } from '../../core/format';
import { ChannelForm } from './channel-form';
import { KIND_LABELS, REPORT_LEVELS } from './channel-draft';
import { ConfirmRemoveDialog } from './confirm-remove-dialog';
import { DeliveryLog } from './delivery-log';

const KIND_ICONS = { email: 'mail', http: 'webhook', telegram: 'send' } as const;

/** One channel: what it sends where, and its actions (test, edit, remove, delivery log). */
@Component({
  selector: 'app-channel-card',
  imports: [ChannelForm, DeliveryLog, MatButtonModule, MatIconModule],
  templateUrl: './channel-card.html',
  styleUrl: './channel-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelCard {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  readonly channel = input.required<Channel>();
  readonly changed = output<Channel>();
  readonly removed = output<string>();

  protected readonly editing = signal(false);
  protected readonly testing = signal(false);
  protected readonly test = signal<TestSendResult | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly logOpen = signal(false);
  protected readonly logRevision = signal(0);

  protected readonly icon = computed(() => KIND_ICONS[this.channel().kind]);
  protected readonly kindLabel = computed(() => KIND_LABELS[this.channel().kind]);
  protected readonly target = computed(() => targetOf(this.channel()));
  protected readonly levels = computed(() =>
    REPORT_LEVELS.filter((level) => this.channel().levels.includes(level)).join(', '),
  );
  protected readonly formatDuration = formatDuration;

  protected async sendTest(): Promise<void> {
    this.testing.set(true);
    this.test.set(null);
    this.error.set(null);
    try {
      this.test.set(await this.api.testChannel(this.channel().id));
      this.logRevision.update((revision) => revision + 1);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.testing.set(false);
    }
  }

  protected saved(channel: Channel): void {
    this.editing.set(false);
    this.changed.emit(channel);
  }

  protected async remove(): Promise<void> {
    const dialog = this.dialog.open(ConfirmRemoveDialog, { data: { name: this.channel().name } });
    if (!(await firstValueFrom(dialog.afterClosed()))) return;
    this.error.set(null);
    try {
      await this.api.removeChannel(this.channel().id);
      this.removed.emit(this.channel().id);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }
}

/** Where the channel sends, in a few words. */
function targetOf(channel: Channel): string {
  const settings = channel.settings;
  switch (channel.kind) {
    case 'email':
      return `to ${((settings['to'] ?? []) as string[]).join(', ')}`;
    case 'http':
      return `${settings['method'] ?? 'POST'} ${settings['url'] ?? ''}`;
    case 'telegram':
      return `chat ${settings['chatId'] ?? ''}${settings['topicId'] ? `, topic ${settings['topicId']}` : ''}`;
  }
}
