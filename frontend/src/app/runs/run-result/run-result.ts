import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { RouterLink } from '@angular/router';
import type { Run } from '../../core/api.types';
import { formatBytes, formatDuration } from '../../core/format';

interface Figure {
  label: string;
  value: string;
}

const KIND_NAMES: Record<Run['kind'], string> = {
  backup: 'backup',
  restore: 'restore',
  verify: 'check',
  forget: 'clean-up',
  prune: 'clean-up',
  unlock: 'unlock',
  repair: 'index repair',
};

/** What a finished run did: its verdict, what went wrong, and its figures. */
@Component({
  selector: 'app-run-result',
  imports: [MatIconModule, RouterLink],
  templateUrl: './run-result.html',
  styleUrl: './run-result.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunResult {
  readonly run = input.required<Run>();
  /** Warning lines from the log, which say what the warning count counts. */
  readonly warnings = input<string[]>([]);

  protected readonly verdict = computed(() => {
    const { kind, status, stats } = this.run();
    const what = `The ${KIND_NAMES[kind]}`;
    switch (status) {
      case 'succeeded':
        return { icon: 'check_circle', text: `${what} succeeded.` };
      case 'warning': {
        const count = stats?.warnings ?? this.warnings().length;
        const noun = count === 1 ? 'warning' : 'warnings';
        return { icon: 'warning', text: `${what} finished with ${count || 'some'} ${noun}.` };
      }
      case 'failed':
        return { icon: 'error', text: `${what} failed.` };
      default:
        return { icon: 'block', text: `${what} was cancelled.` };
    }
  });

  protected readonly figures = computed<Figure[]>(() => {
    const { kind, startedAt, finishedAt, stats } = this.run();
    const figures: Figure[] = [];
    const add = (label: string, value: number | undefined, format: (value: number) => string) => {
      if (value !== undefined) figures.push({ label, value: format(value) });
    };
    const count = (value: number) => value.toLocaleString();
    if (startedAt && finishedAt) {
      figures.push({
        label: 'Duration',
        value: formatDuration(new Date(finishedAt).getTime() - new Date(startedAt).getTime()),
      });
    }
    add('New files', stats?.filesNew, count);
    add('Changed files', stats?.filesChanged, count);
    add('Unmodified files', stats?.filesUnmodified, count);
    add(kind === 'restore' ? 'Data restored' : 'Data scanned', stats?.bytesTotal, formatBytes);
    add('Data added', stats?.bytesAdded, formatBytes);
    add('Repository size', stats?.repositorySize, formatBytes);
    add('Warnings', stats?.warnings, count);
    return figures;
  });

  protected readonly snapshotId = computed(() => this.run().stats?.snapshotId ?? null);
}
