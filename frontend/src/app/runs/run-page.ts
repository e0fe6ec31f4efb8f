import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { ApiService } from '../core/api';
import type { Channel, Delivery, Job, Run, RunFinished, RunKind, RunProgress } from '../core/api.types';
import { describeError } from '../core/errors';
import { formatDateTime, formatRelative } from '../core/format';
import { LinkService } from '../core/links';
import { parseLogLine } from './log-lines';
import { isFinished } from '../core/progress';
import { ProgressView } from './progress-view/progress-view';
import { followRun } from './run-follower';
import { RunLog } from './run-log/run-log';
import { RunReports } from './run-reports/run-reports';
import { RunResult } from './run-result/run-result';
import { StatusChip } from '../shared/status-chip/status-chip';

const KINDS: Record<RunKind, { icon: string; title: string }> = {
  backup: { icon: 'backup', title: 'Backup of' },
  restore: { icon: 'settings_backup_restore', title: 'Restore from' },
  verify: { icon: 'fact_check', title: 'Check of' },
  forget: { icon: 'auto_delete', title: 'Forgetting old snapshots of' },
  prune: { icon: 'cleaning_services', title: 'Pruning' },
  unlock: { icon: 'lock_open', title: 'Unlocking' },
  repair: { icon: 'database', title: 'Repairing the index of' },
};

/** The notifier reports a run once it ended: a page that saw the end asks again for this long. */
const REPORTS_WAIT_MS = 60_000;
const REPORTS_POLL_MS = 3_000;

const TRIGGERS: Record<Run['trigger'], string> = {
  schedule: 'by the schedule',
  manual: 'by hand',
  api: 'on request',
};

/** One run, live while it runs (server-sent events, else polling), then its result and log. */
@Component({
  selector: 'app-run-page',
  imports: [
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    RouterLink,
    ProgressView,
    RunLog,
    RunReports,
    RunResult,
    StatusChip,
  ],
  templateUrl: './run-page.html',
  styleUrl: './run-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunPage {
  private readonly api = inject(ApiService);
  private readonly links = inject(LinkService);
  readonly id = input<string>();

  protected readonly run = signal<Run | null>(null);
  protected readonly job = signal<Job | null>(null);
  private readonly latestProgress = signal<RunProgress | null>(null);
  /** The last report of the run's own work (a backup is followed by retention and pruning). */
  private readonly workProgress = signal<RunProgress | null>(null);
  /** Live: whatever the runner does now; once finished: how far the run's own work got. */
  protected readonly progress = computed(() =>
    this.finished() ? this.workProgress() : this.latestProgress(),
  );
  protected readonly log = signal<string[] | null>(null);
  protected readonly deliveries = signal<Delivery[]>([]);
  protected readonly channels = signal<Channel[]>([]);
  private reportsTimer: ReturnType<typeof setTimeout> | undefined;
  protected readonly loadError = signal<string | null>(null);
  protected readonly connectionError = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly cancelling = signal(false);

  protected readonly finished = computed(() => {
    const run = this.run();
    return run !== null && isFinished(run.status);
  });
  protected readonly kind = computed(() => KINDS[this.run()?.kind ?? 'backup']);
  protected readonly title = computed(() => {
    const name = this.job()?.name;
    return name ? `${this.kind().title} “${name}”` : this.kind().title.replace(/ (of|from)$/, '');
  });
  protected readonly subtitle = computed(() => {
    const run = this.run();
    if (!run) return '';
    const when = !run.startedAt
      ? `Queued ${formatRelative(run.queuedAt)}`
      : isFinished(run.status)
        ? `Ran ${formatDateTime(run.startedAt)}`
        : `Started ${formatRelative(run.startedAt)}`;
    return `${when} ${TRIGGERS[run.trigger]}`;
  });
  /**
   * Shown while the run goes on, and after it ended if progress was seen: a run too quick to
   * report any work would otherwise end on "0 files, 0 B" above a result that says otherwise.
   */
  protected readonly showProgress = computed(() => {
    const progress = this.progress();
    return !this.finished() || (progress !== null && progress.filesDone + progress.bytesDone > 0);
  });
  protected readonly warnings = computed(() =>
    (this.log() ?? []).map(parseLogLine).flatMap((line) => (line.level === 'warn' ? [line.message] : [])),
  );

  constructor() {
    effect((onCleanup) => {
      const id = this.id();
      if (!id) return;
      let stopFollowing = () => {};
      let left = false;
      onCleanup(() => {
        left = true;
        stopFollowing();
        clearTimeout(this.reportsTimer);
      });
      untracked(() => this.reset());
      this.api.run(id).then(
        (run) => {
          if (left) return;
          this.accept(run);
          this.api.job(run.jobId).then(
            (job) => this.job.set(job),
            () => undefined, // The name is a nicety; the run reads fine without it.
          );
          if (!isFinished(run.status)) stopFollowing = this.follow(id);
        },
        (error: unknown) => this.loadError.set(describeError(error)),
      );
    });
  }

  protected async cancel(): Promise<void> {
    const run = this.run();
    if (!run) return;
    this.cancelling.set(true);
    this.actionError.set(null);
    try {
      await this.api.cancelRun(run.id);
    } catch (error) {
      this.cancelling.set(false);
      this.actionError.set(describeError(error));
    }
  }

  private follow(id: string): () => void {
    return followRun({
      eventsUrl: () => this.links.runEvents(id),
      poll: () => this.api.run(id),
      listener: {
        status: (run) => this.accept(run),
        progress: (progress) => {
          this.latestProgress.set(progress);
          if (progress.phase === this.run()?.kind) this.workProgress.set(progress);
        },
        started: () => this.run.update((run) => run && { ...run, status: 'running' }),
        finished: (event) => this.finish(event),
        trouble: (error) =>
          this.connectionError.set(
            error ? `Lost contact with the server, trying again: ${describeError(error)}` : null,
          ),
      },
    });
  }

  private accept(run: Run): void {
    this.run.set(run);
    if (isFinished(run.status) && this.log() === null) {
      this.api.runLog(run.id).then(
        ({ lines }) => this.log.set(lines),
        (error: unknown) => this.actionError.set(`The log could not be loaded: ${describeError(error)}`),
      );
      void this.loadReports(run.id, run.finishedAt);
    }
  }

  /** The report's deliveries; while none are recorded shortly after the end, asked again. */
  private async loadReports(runId: string, finishedAt: string | null): Promise<void> {
    clearTimeout(this.reportsTimer);
    try {
      const [deliveries, channels] = await Promise.all([
        this.api.runDeliveries(runId),
        this.channels().length ? this.channels() : this.api.channels(),
      ]);
      if (this.run()?.id !== runId) return;
      this.deliveries.set(deliveries);
      this.channels.set(channels);
      // The notifier sends, and tries again, in the background: soon after the end, ask until one arrived.
      const recent = finishedAt !== null && Date.now() - Date.parse(finishedAt) < REPORTS_WAIT_MS;
      if (recent && !deliveries.some((delivery) => delivery.status === 'delivered'))
        this.reportsTimer = setTimeout(() => void this.loadReports(runId, finishedAt), REPORTS_POLL_MS);
    } catch {
      // The reports are a footnote to the run: the page reads fine without them.
    }
  }

  /** The event carries everything the result needs, so the page does not wait for the catalog. */
  private finish({ runId, status, startedAt, finishedAt, stats, error, logTail }: RunFinished): void {
    this.log.set(logTail);
    this.run.update((run) => run && { ...run, status, startedAt, finishedAt, stats, error });
    void this.loadReports(runId, finishedAt);
  }

  private reset(): void {
    this.run.set(null);
    this.job.set(null);
    this.latestProgress.set(null);
    this.workProgress.set(null);
    this.log.set(null);
    this.deliveries.set([]);
    clearTimeout(this.reportsTimer);
    this.loadError.set(null);
    this.connectionError.set(null);
    this.actionError.set(null);
    this.cancelling.set(false);
  }
}
