import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import type { SnapshotRecord } from '../../core/api.types';
import { countOf, formatBytes } from '../../core/format';
import { groupByDay } from './days';

/** A job's snapshots, newest first, by day; one of them is chosen for browsing. */
@Component({
  selector: 'app-snapshot-timeline',
  imports: [MatIconModule],
  templateUrl: './snapshot-timeline.html',
  styleUrl: './snapshot-timeline.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SnapshotTimeline {
  readonly snapshots = input.required<SnapshotRecord[]>();
  readonly selectedId = input<string | null>(null);
  readonly choose = output<SnapshotRecord>();

  protected readonly days = computed(() =>
    groupByDay(this.snapshots()).map((day) => ({
      label: day.label,
      items: day.snapshots.map((snapshot) => ({ snapshot, ...describe(snapshot) })),
    })),
  );
}

function describe(snapshot: SnapshotRecord) {
  const summary = snapshot.summary ?? {};
  const parts = ['filesNew', 'filesChanged', 'filesUnmodified'].map((key) => summary[key]);
  const files = parts.some((part) => part !== undefined)
    ? parts.reduce((sum: number, part) => sum + (part ?? 0), 0)
    : undefined;
  const size = summary['bytesTotal'];
  const added = summary['bytesAdded'];
  return {
    time: new Date(snapshot.time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
    contents: [files !== undefined ? countOf(files, 'file') : '', size !== undefined ? formatBytes(size) : '']
      .filter(Boolean)
      .join(' · '),
    added: added !== undefined ? `+${formatBytes(added)} new` : '',
  };
}
