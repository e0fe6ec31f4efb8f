import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatProgressBarModule, type ProgressBarMode } from '@angular/material/progress-bar';
import type { RunProgress, RunStatus } from '../../core/api.types';
import { progressFigures } from '../../core/progress';

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

  protected readonly figures = computed(() => progressFigures(this.progress(), this.status()));
  protected readonly summary = computed(() => this.figures().summary);

  protected readonly mode = computed<ProgressBarMode>(() => {
    if (this.status() === 'queued') return 'query';
    const { percent, finished } = this.summary();
    return percent === null && !finished ? 'indeterminate' : 'determinate';
  });
}
