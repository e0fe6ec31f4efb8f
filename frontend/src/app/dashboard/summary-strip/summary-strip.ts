import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { formatBytes } from '../../core/format';
import type { DashboardSummary } from '../summary';

/** Four figures above the cards. */
@Component({
  selector: 'app-summary-strip',
  imports: [MatIconModule],
  templateUrl: './summary-strip.html',
  styleUrl: './summary-strip.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SummaryStrip {
  readonly summary = input.required<DashboardSummary>();

  protected readonly tiles = computed(() => {
    const summary = this.summary();
    return [
      { label: 'Backup jobs', value: String(summary.jobs), icon: 'inventory_2', alarm: false },
      {
        label: 'Stored in total',
        value: formatBytes(summary.totalRepositorySize),
        icon: 'database',
        alarm: false,
      },
      { label: 'Runs in 24 h', value: String(summary.runsLast24h), icon: 'history', alarm: false },
      {
        label: 'Failures in 24 h',
        value: String(summary.failuresLast24h),
        icon: summary.failuresLast24h ? 'error' : 'check_circle',
        alarm: summary.failuresLast24h > 0,
      },
    ];
  });
}
