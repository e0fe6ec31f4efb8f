import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { Router, RouterLink } from '@angular/router';
import { ApiService } from '../../core/api';
import type { Job, Run, RunKind, RunStatus } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { StatusChip } from '../../shared/status-chip/status-chip';
import { historyRow, KIND_LABELS, STATUS_LABELS } from './history-rows';

export const PAGE_SIZE = 25;

type Filter = 'job' | 'status' | 'kind';

/** Every job's runs, or one job's, newest first: filtered and paged in the address (?job=&status=&kind=&page=). */
@Component({
  selector: 'app-run-history',
  imports: [
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    RouterLink,
    StatusChip,
  ],
  templateUrl: './run-history.html',
  styleUrl: './run-history.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunHistoryPage {
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);
  // The query parameters (the router binds them).
  readonly job = input<string>();
  readonly status = input<RunStatus>();
  readonly kind = input<RunKind>();
  readonly page = input<string>();

  protected readonly jobs = signal<Job[]>([]);
  protected readonly filters = computed(() => [
    {
      name: 'job' as const,
      label: 'Job',
      any: 'All jobs',
      value: this.job(),
      options: this.jobs().map((job) => [job.id, job.name]),
    },
    {
      name: 'status' as const,
      label: 'Status',
      any: 'Any status',
      value: this.status(),
      options: Object.entries(STATUS_LABELS),
    },
    {
      name: 'kind' as const,
      label: 'Kind',
      any: 'Any kind',
      value: this.kind(),
      options: Object.entries(KIND_LABELS),
    },
  ]);
  private readonly runs = signal<Run[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);

  protected readonly pageIndex = computed(() => Math.max(0, Number.parseInt(this.page() ?? '0', 10) || 0));
  /** One run more than a page is asked for: it tells whether an older page exists. */
  protected readonly hasOlder = computed(() => (this.runs()?.length ?? 0) > PAGE_SIZE);
  protected readonly rows = computed(() => {
    const names = new Map(this.jobs().map((job) => [job.id, job.name]));
    return (
      this.runs()
        ?.slice(0, PAGE_SIZE)
        .map((run) => historyRow(run, names)) ?? null
    );
  });
  protected readonly jobName = computed(() => this.jobs().find((job) => job.id === this.job())?.name ?? null);

  constructor() {
    void this.api.jobs().then(
      (jobs) => this.jobs.set(jobs),
      // The runs still show, named "Removed job": the load error below says what went wrong.
      (error) => this.loadError.set(describeError(error)),
    );
    effect(() => {
      const filter = {
        jobId: this.job() || undefined,
        status: this.status() || undefined,
        kind: this.kind() || undefined,
        limit: PAGE_SIZE + 1,
        offset: this.pageIndex() * PAGE_SIZE,
      };
      void this.load(filter);
    });
  }

  private async load(filter: Parameters<ApiService['runs']>[0]): Promise<void> {
    this.loading.set(true);
    try {
      this.runs.set(await this.api.runs(filter));
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }

  /** A changed filter starts again at the newest page. */
  protected filterBy(name: Filter, value: string | null): void {
    void this.router.navigate([], {
      queryParams: { [name]: value || null, page: null },
      queryParamsHandling: 'merge',
    });
  }

  protected turn(by: number): void {
    const page = this.pageIndex() + by;
    void this.router.navigate([], { queryParams: { page: page || null }, queryParamsHandling: 'merge' });
  }
}
