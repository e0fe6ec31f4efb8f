import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { RunStatus } from '../../core/api.types';

const LOOK: Record<RunStatus, { icon: string; label: string }> = {
  queued: { icon: 'schedule', label: 'Queued' },
  running: { icon: 'progress_activity', label: 'Running' },
  succeeded: { icon: 'check_circle', label: 'Succeeded' },
  warning: { icon: 'warning', label: 'Warnings' },
  failed: { icon: 'error', label: 'Failed' },
  cancelled: { icon: 'block', label: 'Cancelled' },
};

/** A run's status as a coloured label with an icon, so it reads without relying on colour. */
@Component({
  selector: 'app-status-chip',
  imports: [MatIconModule],
  template: `<mat-icon aria-hidden="true" [class.spin]="status() === 'running'">{{ look().icon }}</mat-icon
    ><span>{{ look().label }}</span>`,
  styleUrl: './status-chip.scss',
  host: { '[class]': '"status-" + status()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusChip {
  readonly status = input.required<RunStatus>();
  protected readonly look = computed(() => LOOK[this.status()]);
}
