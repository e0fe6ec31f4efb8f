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
import type { Job, Run, RunProgress, SchedulerStatus } from '../core/api.types';
import { describeError } from '../core/errors';
import { RunActivity, type ActivityListener } from '../core/run-activity';
import { PAUSE_CHOICES, SchedulerPause } from '../core/scheduler-pause';
import { AttentionBanner } from './attention-banner/attention-banner';
import { attentionItems } from './attention';
import { ConfirmDeleteDialog, type ConfirmDeleteData } from './confirm-delete/confirm-delete-dialog';
import { JobCard } from './job-card/job-card';
import { isActive } from './job-health';
import { finishedUpdate, pendingUpdates, startedUpdate, withUpdates, type RunUpdate } from './live-runs';
import { buildOverviews, type JobOverview } from './overview';
import { summarize } from './summary';
import { SummaryStrip } from './summary-strip/summary-strip';

const REFRESH_MS = 15_000;
/**
 * While a run is going and the activity stream is down, sooner: its card should turn to the result
 * without a long wait. With the stream up, the cards follow its events.
 */
const ACTIVE_REFRESH_MS = 5_000;

interface Snapshot {
  jobs: Job[];
  runsByJob: Map<string, Run[]>;
  scheduler: SchedulerStatus | null;
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
  private readonly activity = inject(RunActivity);
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
  /** Runs the activity stream saw start or end since the last load, by run id. */
  private readonly updates = signal<ReadonlyMap<string, RunUpdate>>(new Map());
  /** The newest report of each running run, by run id. */
  private readonly progressByRun = signal<ReadonlyMap<string, RunProgress>>(new Map());
  private readonly streaming = signal(false);
  private streamedBefore = false;

  /** When the page last learned something: a load, or a run that started or ended. */
  protected readonly now = signal(new Date());
  protected readonly overviews = computed<JobOverview[] | null>(() => {
    const snapshot = this.snapshot();
    if (!snapshot) return null;
    const updates = this.updates();
    const runsByJob = new Map(
      [...snapshot.runsByJob].map(([jobId, runs]) => [jobId, withUpdates(runs, updates)]),
    );
    return buildOverviews(snapshot.jobs, runsByJob, snapshot.scheduler, this.now());
  });
  /** The latest report of each card's running run, by job. */
  protected readonly progressByJob = computed(() => {
    const reports = this.progressByRun();
    return new Map(
      (this.overviews() ?? []).map(({ job, health: { statusRun } }) => [
        job.id,
        statusRun && isActive(statusRun) ? (reports.get(statusRun.id) ?? null) : null,
      ]),
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
      const hurry = this.anyActive() && !this.streaming();
      const due = this.lastLoadStart + (hurry ? ACTIVE_REFRESH_MS : REFRESH_MS);
      // A second early counts as due, so timer drift never skips a whole tick.
      if (this.document.visibilityState === 'visible' && Date.now() >= due - 1000) void this.load();
    }, ACTIVE_REFRESH_MS);
    // Coming back to the tab shows fresh data at once rather than up to 15 s later.
    const onVisible = () => {
      if (this.document.visibilityState === 'visible') void this.load();
    };
    this.document.addEventListener('visibilitychange', onVisible);
    const stopFollowing = this.activity.follow(this.activityListener);
    inject(DestroyRef).onDestroy(() => {
      stopFollowing();
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
      // Every job's recent runs in one request: with 200 jobs, a request each took seconds.
      const [jobs, recent, scheduler] = await Promise.all([
        this.api.jobs(),
        this.api.recentRuns(20),
        this.api.scheduler().catch(() => null),
      ]);
      const runsByJob = new Map<string, Run[]>(jobs.map((job) => [job.id, []]));
      for (const run of recent) runsByJob.get(run.jobId)?.push(run);
      this.updates.update((updates) => pendingUpdates(updates, runsByJob.values()));
      this.snapshot.set({ jobs, runsByJob, scheduler });
      this.now.set(new Date());
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

  private readonly activityListener: ActivityListener = {
    progress: (progress) =>
      this.progressByRun.update((reports) => new Map(reports).set(progress.runId, progress)),
    started: (event) => this.updateRun(event.jobId, event.runId, startedUpdate(event)),
    finished: (event) => {
      this.progressByRun.update((reports) => {
        const left = new Map(reports);
        left.delete(event.runId);
        return left;
      });
      this.updateRun(event.jobId, event.runId, finishedUpdate(event));
    },
    connected: (open) => {
      this.streaming.set(open);
      // Back after a break: what happened in between was not seen.
      if (open && this.streamedBefore) void this.load();
      this.streamedBefore ||= open;
    },
  };

  private updateRun(jobId: string, runId: string, update: RunUpdate): void {
    this.updates.update((updates) => new Map(updates).set(runId, update));
    this.now.set(new Date());
    const known = this.snapshot()
      ?.runsByJob.get(jobId)
      ?.some((run) => run.id === runId);
    // A run queued after the last load (by the schedule, or another browser): fetch it.
    if (!known) void this.reloadJob(jobId);
  }

  /** One job's runs, rather than every job's: a run of it began that this page has not seen. */
  private async reloadJob(jobId: string): Promise<void> {
    if (!this.snapshot()?.jobs.some((job) => job.id === jobId)) return this.load();
    try {
      const runs = await this.api.jobRuns(jobId, 20);
      this.snapshot.update(
        (snapshot) => snapshot && { ...snapshot, runsByJob: new Map(snapshot.runsByJob).set(jobId, runs) },
      );
    } catch {
      // The next load tries again.
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
