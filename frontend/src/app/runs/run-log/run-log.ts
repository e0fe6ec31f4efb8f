import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { parseLogLine } from '../log-lines';

/** The run's log as the runner wrote it, with times in local time and problems highlighted. */
@Component({
  selector: 'app-run-log',
  templateUrl: './run-log.html',
  styleUrl: './run-log.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunLog {
  readonly lines = input.required<string[]>();

  protected readonly entries = computed(() =>
    this.lines().map((line) => {
      const entry = parseLogLine(line);
      const time = entry.time ? new Date(entry.time).toLocaleTimeString(undefined, { hour12: false }) : '';
      return { ...entry, time };
    }),
  );
}
