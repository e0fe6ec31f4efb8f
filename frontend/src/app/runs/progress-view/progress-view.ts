import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule, type ProgressBarMode } from '@angular/material/progress-bar';
import type { RunProgress, RunStatus } from '../../core/api.types';
import { formatBytes, formatDuration } from '../../core/format';
import { summarizeProgress } from '../progress';

const PHASES: Record<string, string> = {
  backup: 'Backing up',
  restore: 'Restoring',
  forget: 'Applying the retention policy',
  prune: 'Removing data no snapshot needs',
  unlock: 'Removing stale locks',
};

/** How far a run has got: the bar, the counts, the speed, the time left and the file at hand. */
@Component({
  selector: 'app-progress-view',
  imports: [MatProgressBarModule],
  templateUrl: './progress-view.html',
  styleUrl: './progress-view.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProgressView {
  readonly progress = input<RunProgress | null>(null);
  readonly status = input.required<RunStatus>();

  protected readonly summary = computed(() => summarizeProgress(this.progress(), this.status()));

  protected readonly heading = computed(() => {
    const status = this.status();
    if (status === 'queued') return 'Waiting for a runner';
    if (status === 'succeeded' || status === 'warning') return 'Finished';
    if (status === 'failed') return 'Stopped by an error';
    if (status === 'cancelled') return 'Cancelled';
    const phase = this.progress()?.phase;
    if (!phase) return 'Starting';
    return PHASES[phase] ?? phase.charAt(0).toUpperCase() + phase.slice(1);
  });

  protected readonly mode = computed<ProgressBarMode>(() => {
    if (this.status() === 'queued') return 'query';
    const { percent, finished } = this.summary();
    return percent === null && !finished ? 'indeterminate' : 'determinate';
  });

  protected readonly files = computed(() => {
    const progress = this.progress();
    if (!progress) return '—';
    const done = progress.filesDone.toLocaleString();
    return progress.filesTotal > 0 ? `${done} of ${progress.filesTotal.toLocaleString()}` : done;
  });

  protected readonly bytes = computed(() => {
    const progress = this.progress();
    if (!progress) return '—';
    const done = formatBytes(progress.bytesDone);
    if (progress.bytesTotal <= 0) return done;
    const total = formatBytes(progress.bytesTotal);
    // "418.1 of 420.0 MiB": the unit once when both share it.
    const [number, unit] = done.split(' ');
    return total.endsWith(` ${unit}`) ? `${number} of ${total}` : `${done} of ${total}`;
  });

  protected readonly speed = computed(() => {
    const rate = this.summary().bytesPerSecond;
    return rate === null ? '—' : `${formatBytes(rate)}/s`;
  });

  protected readonly timeLeft = computed(() => {
    const { etaMs } = this.summary();
    return etaMs === null ? 'estimating…' : `about ${formatDuration(etaMs)}`;
  });

  protected readonly elapsed = computed(() => formatDuration(this.progress()?.elapsedMs));

  protected readonly currentPath = computed(() =>
    this.summary().finished ? '' : (this.progress()?.currentPath ?? ''),
  );
}
