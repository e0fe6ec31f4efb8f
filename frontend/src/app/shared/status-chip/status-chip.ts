import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import type { RunStatus } from '../../core/api.types';

/** A run's status; for a job also 'never' (it has not run yet) and 'overdue'. */
export type ChipStatus = RunStatus | 'never' | 'overdue';

const LOOKS: Record<ChipStatus, { label: string; icon: string }> = {
  succeeded: { label: 'Succeeded', icon: 'check_circle' },
  warning: { label: 'Warning', icon: 'warning' },
  failed: { label: 'Failed', icon: 'error' },
  running: { label: 'Running', icon: '' },
  queued: { label: 'Queued', icon: 'schedule' },
  cancelled: { label: 'Cancelled', icon: 'block' },
  never: { label: 'Never run', icon: 'radio_button_unchecked' },
  overdue: { label: 'Overdue', icon: 'schedule' },
};

/** A run's status, or a job's last one: word, icon and colour, never colour alone. */
@Component({
  selector: 'app-status-chip',
  imports: [MatIconModule, MatProgressSpinnerModule],
  templateUrl: './status-chip.html',
  styleUrl: './status-chip.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': '"chip " + status()' },
})
export class StatusChip {
  readonly status = input.required<ChipStatus>();
  protected readonly look = computed(() => LOOKS[this.status()]);
}
