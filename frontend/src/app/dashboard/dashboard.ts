import { DOCUMENT, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router, RouterLink } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { ApiService } from '../core/api';
import type { Job, Run, SchedulerStatus } from '../core/api.types';
import { describeError } from '../core/errors';
import { PAUSE_CHOICES, SchedulerPause } from '../core/scheduler-pause';
import { AttentionBanner } from './attention-banner/attention-banner';
import { attentionItems } from './attention';
import { ConfirmDeleteDialog, type ConfirmDeleteData } from './confirm-delete/confirm-delete-dialog';
import { JobCard } from './job-card/job-card';
import { isActive } from './job-health';
import { buildOverviews, type JobOverview } from './overview';
import { summarize } from './summary';
import { SummaryStrip } from './summary-strip/summary-strip';

const REFRESH_MS = 15_000;
/** While a run is going, sooner: its card should turn to the result without a long wait. */
const ACTIVE_REFRESH_MS = 5_000;

interface Snapshot {
  jobs: Job[];
  runsByJob: Map<string, Run[]>;
  scheduler: SchedulerStatus | null;
  loadedAt: Date;
}

/** Every backup job, how it is doing, and what needs attention. */
@Component({
  selector: 'app-dashboard',
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatTooltipModule,
    AttentionBanner,
    JobCard,
    SummaryStrip,
  ],
  templateUrl: './dashboard.html',
  styleUrl: './dashboard.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  private readonly api = inject(ApiService);
  private readonly router = inject(Router);
  private readonly dialog = inject(MatDialog);
  private readonly document = inject(DOCUMENT);
  private readonly scheduler = inject(SchedulerPause);
  protected readonly pauseChoices = PAUSE_CHOICES;

  /** The last data that loaded: kept on screen while the next load runs, so nothing flickers. */
  private readonly snapshot = signal<Snapshot | null>(null);
  protected readonly loading = signal(false);
  protected readonly loadError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly startingJobId = signal<string | null>(null);
  /** A load asked for while another ran (after a delete, say): it runs when that one ends. */
  private loadAgain = false;
  private lastLoadStart = 0;

  protected readonly now = computed(() => this.snapshot()?.loadedAt ?? new Date());
  protected readonly overviews = computed<JobOverview[] | null>(() => {
    const snapshot = this.snapshot();
    return (
      snapshot && buildOverviews(snapshot.jobs, snapshot.runsByJob, snapshot.scheduler, snapshot.loadedAt)
    );
  });
  protected readonly summary = computed(() => summarize(this.overviews() ?? [], this.now()));
  protected readonly attention = computed(() => attentionItems(this.overviews() ?? [], this.now()));
  private readonly anyActive = computed(() =>
    (this.overviews() ?? []).some((overview) => isActive(overview.health.statusRun)),
  );
  protected readonly schedulerMissing = computed(() => {
    const snapshot = this.snapshot();
    return !!snapshot && snapshot.jobs.length > 0 && snapshot.scheduler === null;
  });

  constructor() {
    void this.load();
    const timer = setInterval(() => {
      const due = this.lastLoadStart + (this.anyActive() ? ACTIVE_REFRESH_MS : REFRESH_MS);
      // A second early counts as due, so timer drift never skips a whole tick.
      if (this.document.visibilityState === 'visible' && Date.now() >= due - 1000) void this.load();
    }, ACTIVE_REFRESH_MS);
    // Coming back to the tab shows fresh data at once rather than up to 15 s later.
    const onVisible = () => {
      if (this.document.visibilityState === 'visible') void this.load();
    };
    this.document.addEventListener('visibilitychange', onVisible);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      this.document.removeEventListener('visibilitychange', onVisible);
    });
  }

  async load(): Promise<void> {
    if (this.loading()) {
      this.loadAgain = true;
      return;
    }
    this.loading.set(true);
    this.lastLoadStart = Date.now();
    try {
      // The page still works without the scheduler: next runs then come from the cron expressions.
      const [jobs, scheduler] = await Promise.all([this.api.jobs(), this.api.scheduler().catch(() => null)]);
      const runs = await Promise.all(jobs.map((job) => this.api.jobRuns(job.id, 20)));
      this.snapshot.set({
        jobs,
        runsByJob: new Map(jobs.map((job, index) => [job.id, runs[index]])),
        scheduler,
        loadedAt: new Date(),
      });
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
    if (this.loadAgain) {
      this.loadAgain = false;
      await this.load();
    }
  }

  protected async backUp(job: Job): Promise<void> {
    this.startingJobId.set(job.id);
    this.actionError.set(null);
    try {
      const run = await this.api.runJob(job.id);
      void this.load();
      await this.router.navigate(['/runs', run.id]);
    } catch (error) {
      this.actionError.set(`Could not start “${job.name}”: ${describeError(error)}`);
    } finally {
      this.startingJobId.set(null);
    }
  }

  /** Pauses every schedule; the shell's banner says until when and offers Resume. */
  protected async pause(durationMs: number | null): Promise<void> {
    await this.scheduler.pause(durationMs);
    await this.load();
  }

  protected async setEnabled(job: Job, enabled: boolean): Promise<void> {
    this.actionError.set(null);
    try {
      await this.api.updateJob(job.id, { enabled });
      await this.load();
    } catch (error) {
      this.actionError.set(
        `Could not ${enabled ? 'enable' : 'disable'} “${job.name}”: ${describeError(error)}`,
      );
    }
  }

  protected async remove(job: Job): Promise<void> {
    const dialog = this.dialog.open<ConfirmDeleteDialog, ConfirmDeleteData, boolean>(ConfirmDeleteDialog, {
      data: { jobName: job.name },
      autoFocus: 'first-tabbable',
    });
    if (!(await firstValueFrom(dialog.afterClosed()))) return;
    this.actionError.set(null);
    try {
      await this.api.removeJob(job.id);
      // Drop the card at once; the reload confirms it.
      this.snapshot.update(
        (snapshot) => snapshot && { ...snapshot, jobs: snapshot.jobs.filter((other) => other.id !== job.id) },
      );
      void this.load();
    } catch (error) {
      this.actionError.set(`Could not delete “${job.name}”: ${describeError(error)}`);
    }
  }
}
