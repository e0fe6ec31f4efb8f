import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import type { Channel } from '../../../core/api.types';
import { verifyOptions } from '../../lib/verify-schedule';
import type { Compression, JobDraft } from '../job-draft';

export const COMPRESSION_WORDS: Record<Compression, string> = {
  off: 'Off: for data that is already compressed (photos, videos, archives)',
  fast: 'Fast: a little smaller, barely slower',
  default: 'Default: a good balance of size and speed',
  max: 'Max: smallest, slowest; for slow or costly destinations',
};

/** Step 6: compression, pack size and who hears about the runs. */
@Component({
  selector: 'app-options-step',
  imports: [
    FormField,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    RouterLink,
  ],
  templateUrl: './options-step.html',
  styleUrl: './options-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OptionsStep {
  readonly form = input.required<FieldTree<JobDraft['options']>>();
  readonly channels = input<Channel[]>([]);

  protected readonly compressionWords = computed(() => COMPRESSION_WORDS[this.form().compression().value()]);
  protected readonly verifyOptions = computed(() => verifyOptions(this.form().verifyCron().value()));
  protected readonly chosen = computed(() => new Set(this.form().channelIds().value()));
  protected readonly defaultChannels = computed(() =>
    this.channels()
      .filter((channel) => channel.default)
      .map((channel) => channel.name),
  );

  protected toggleChannel(id: string, on: boolean): void {
    const ids = this.form().channelIds().value();
    this.form()
      .channelIds()
      .value.set(on ? [...ids, id] : ids.filter((candidate) => candidate !== id));
  }
}
