import { ChangeDetectionStrategy, Component, computed, inject, input, resource, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { ApiService } from '../../core/api';
import type { RunKind, VerifyParams } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { formatRelative } from '../../core/format';
import { historyRow } from '../../runs/run-history/history-rows';
import { StatusChip } from '../../shared/status-chip/status-chip';
import { describeRetention } from '../lib/retention';
import { describeVerifySchedule } from '../lib/verify-schedule';
import { ConfirmDialog, type ConfirmData } from './confirm-dialog';
import {
  confirmationOf,
  DEFAULT_SHARE_PERCENT,
  type ConfirmedKind,
  MAINTENANCE_KINDS,
  shareProblem,
  verifyParamsOf,
} from './maintenance';

type MaintenanceKind = Exclude<RunKind, 'backup' | 'restore'>;

/** How many recent maintenance runs the page lists; the history has them all. */
const RECENT = 5;

/** A job's repository care: verify, apply retention, prune, unlock, repair the index; each a run like a backup. */
@Component({
  selector: 'app-maintenance-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    RouterLink,
    StatusChip,
  ],
  templateUrl: './maintenance-page.html',
  styleUrl: './maintenance-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MaintenancePage {
  private readonly api = inject(ApiService);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  /** The job's id. */
  readonly id = input<string>();

  protected readonly job = resource({
    params: () => this.id(),
    loader: ({ params }) => this.api.job(params),
  });
  private readonly runs = resource({
    params: () => this.id(),
    loader: ({ params }) => this.api.jobRuns(params, 50),
  });

  protected readonly loadError = computed(() => {
    const error = this.job.error();
    return error ? describeError(error) : null;
  });
  protected readonly jobName = computed(() => (this.job.hasValue() ? this.job.value().name : ''));
  protected readonly retention = computed(() =>
    this.job.hasValue() && this.job.value().retention ? describeRetention(this.job.value().retention) : null,
  );
  protected readonly verifySchedule = computed(() => {
    const schedule = this.job.hasValue() ? this.job.value().verifySchedule : null;
    return schedule ? `${describeVerifySchedule(schedule.cron)} (${schedule.timezone})` : null;
  });
  protected readonly recent = computed(() => {
    const runs = this.runs.hasValue() ? this.runs.value() : [];
    const names = new Map([[this.id() ?? '', this.jobName()]]);
    return runs
      .filter((run) => MAINTENANCE_KINDS.includes(run.kind))
      .slice(0, RECENT)
      .map((run) => ({ ...historyRow(run, names), when: formatRelative(run.startedAt ?? run.queuedAt) }));
  });

  protected readonly share = signal(DEFAULT_SHARE_PERCENT);
  protected readonly shareProblem = computed(() => shareProblem(this.share()));
  /** The action being started, so its button shows it and none starts twice. */
  protected readonly starting = signal<MaintenanceKind | null>(null);
  protected readonly actionError = signal<string | null>(null);

  protected verify(withData: boolean): Promise<void> {
    if (withData && this.shareProblem()) return Promise.resolve();
    return this.start('verify', verifyParamsOf(withData ? Number(this.share()) : null));
  }

  protected async confirmThenStart(kind: ConfirmedKind): Promise<void> {
    const dialog = this.dialog.open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, {
      data: confirmationOf(kind, this.jobName()),
      autoFocus: 'first-tabbable',
    });
    if (await firstValueFrom(dialog.afterClosed())) await this.start(kind);
  }

  protected async start(kind: MaintenanceKind, verify?: VerifyParams): Promise<void> {
    const id = this.id();
    if (!id || this.starting()) return;
    this.starting.set(kind);
    this.actionError.set(null);
    try {
      const run = await this.api.runJob(id, kind, verify);
      await this.router.navigate(['/runs', run.id]);
    } catch (error) {
      this.actionError.set(describeError(error));
      this.runs.reload();
    } finally {
      this.starting.set(null);
    }
  }
}
