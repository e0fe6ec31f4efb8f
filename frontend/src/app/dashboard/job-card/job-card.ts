import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule, type ProgressBarMode } from '@angular/material/progress-bar';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatTooltipModule } from '@angular/material/tooltip';
import { RouterLink } from '@angular/router';
import type { RunProgress } from '../../core/api.types';
import { formatBytes, formatDateTime, formatDuration, formatRelative } from '../../core/format';
import { progressFigures } from '../../core/progress';
import { backupFigures, isActive, runDurationMs } from '../job-health';
import type { JobOverview } from '../overview';
import { RunChart } from '../run-chart/run-chart';
import { StatusChip } from '../../shared/status-chip/status-chip';

const SOURCES_SHOWN = 2;

/** One backup job at a glance, with its everyday actions. */
@Component({
  selector: 'app-job-card',
  imports: [
    RouterLink,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    MatProgressSpinnerModule,
    MatTooltipModule,
    RunChart,
    StatusChip,
  ],
  templateUrl: './job-card.html',
  styleUrl: './job-card.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobCard {
  readonly overview = input.required<JobOverview>();
  readonly now = input.required<Date>();
  /** The latest report of the job's running run, pushed by the activity stream. */
  readonly progress = input<RunProgress | null>(null);
  /** "Back up now" was pressed and the run is being created. */
  readonly starting = input(false);
  readonly backUp = output<void>();
  readonly remove = output<void>();
  /** The job's schedule switched on (true) or off. */
  readonly setEnabled = output<boolean>();

  protected readonly job = computed(() => this.overview().job);
  protected readonly health = computed(() => this.overview().health);
  protected readonly headingId = computed(() => `job-${this.job().id}-name`);
  protected readonly activeRun = computed(() => {
    const run = this.health().statusRun;
    return run && isActive(run) ? run : null;
  });

  /** How far the running run has got, in one line of figures and one of the file at hand. */
  protected readonly live = computed(() => {
    const run = this.activeRun();
    if (!run) return null;
    const progress = this.progress();
    const figures = progressFigures(progress, run.status);
    const { percent, bytesPerSecond, etaMs } = figures.summary;
    const count = progress ? progress.filesTotal || progress.filesDone : 0;
    const figuresShown = progress
      ? [
          `${figures.files} ${count === 1 ? 'file' : 'files'}`,
          figures.bytes,
          bytesPerSecond === null ? null : figures.speed,
          etaMs === null ? null : `${figures.timeLeft} left`,
        ]
      : [];
    const path = figures.currentPath;
    const cut = path.lastIndexOf('/') + 1;
    const mode: ProgressBarMode =
      run.status === 'queued' ? 'query' : percent === null ? 'indeterminate' : 'determinate';
    return {
      heading: figures.heading,
      percent,
      mode,
      figures: figuresShown.filter((figure) => figure !== null),
      path,
      // Apart, so that a narrow card cuts the folder before the file's name.
      folder: path.slice(0, cut),
      name: path.slice(cut),
    };
  });

  protected readonly sources = computed(() => {
    const sources = this.job().sources;
    const more = sources.length - SOURCES_SHOWN;
    return {
      shown: sources.slice(0, SOURCES_SHOWN).map(folderName).join(', '),
      more: more > 0 ? `+${more} more` : '',
      all: sources.join('\n'),
      spoken: sources.join(', '),
    };
  });

  protected readonly lastBackup = computed(() => {
    const run = this.health().lastBackup;
    if (!run?.finishedAt) return null;
    const figures = backupFigures(run);
    const when = formatRelative(run.finishedAt, this.now().getTime());
    return {
      when: run.status === 'failed' ? `Failed ${when}` : when,
      exact: formatDateTime(run.finishedAt),
      took: `${run.status === 'failed' ? 'after' : 'took'} ${formatDuration(runDurationMs(run))}`,
      failed: run.status === 'failed',
      added: figures.bytesAdded === null ? null : `+${formatBytes(figures.bytesAdded)}`,
      files:
        figures.files === null
          ? null
          : `${figures.changed.toLocaleString()} of ${figures.files.toLocaleString()} ${figures.files === 1 ? 'file' : 'files'} new or changed`,
    };
  });

  protected readonly repositorySize = computed(() => {
    const size = this.health().repositorySize;
    return size === null ? 'Not measured yet' : formatBytes(size);
  });
}

/** "/srv/data/photos" → "photos": the whole paths are in the tooltip. */
function folderName(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? path;
}
