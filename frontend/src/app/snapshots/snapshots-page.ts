import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  resource,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ApiService } from '../core/api';
import type { SnapshotRecord } from '../core/api.types';
import { describeError } from '../core/errors';
import { countOf, formatRelative } from '../core/format';
import { SnapshotBrowser } from './snapshot-browser/snapshot-browser';
import { SnapshotTimeline } from './snapshot-timeline/snapshot-timeline';

/** A job's snapshots on a timeline beside the chosen one's files, to restore or download from. */
@Component({
  selector: 'app-snapshots-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    SnapshotBrowser,
    SnapshotTimeline,
  ],
  templateUrl: './snapshots-page.html',
  styleUrl: './snapshots-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SnapshotsPage {
  private readonly api = inject(ApiService);
  /** The job's id. */
  readonly id = input<string>();

  protected readonly job = resource({
    params: () => this.id(),
    loader: ({ params }) => this.api.job(params),
  });
  protected readonly snapshots = resource({
    params: () => this.id(),
    loader: async ({ params }) =>
      (await this.api.jobSnapshots(params)).sort((a, b) => b.time.localeCompare(a.time)),
  });

  protected readonly list = computed(() => (this.snapshots.hasValue() ? this.snapshots.value() : []));
  protected readonly error = computed(() => {
    const error = this.snapshots.error() ?? this.job.error();
    return error ? describeError(error) : null;
  });
  protected readonly jobName = computed(() => (this.job.hasValue() ? this.job.value().name : ''));
  protected readonly selected = linkedSignal<SnapshotRecord[], SnapshotRecord | null>({
    source: this.list,
    computation: (list, previous) => list.find((item) => item.id === previous?.value?.id) ?? list[0] ?? null,
  });
  protected readonly summary = computed(() => {
    const list = this.list();
    const count = countOf(list.length, 'snapshot');
    return list.length ? `${count} · latest ${formatRelative(list[0].time)}` : count;
  });
  /** On a phone the list and the files take turns on screen. */
  protected readonly listOpen = signal(false);

  protected choose(snapshot: SnapshotRecord): void {
    this.selected.set(snapshot);
    this.listOpen.set(false);
  }

  protected reload(): void {
    this.job.reload();
    this.snapshots.reload();
  }
}
