import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import {
  HOUR_STEPS,
  WEEKDAYS,
  browserTimeZone,
  cronOf,
  describeRun,
  describeSchedule,
  nextRuns,
  type ScheduleChoice,
} from '../../lib/cron';

/** Step 4: when the backup runs, with the next three runs spelled out. */
@Component({
  selector: 'app-schedule-step',
  imports: [
    FormField,
    NgTemplateOutlet,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatRadioModule,
    MatSelectModule,
  ],
  templateUrl: './schedule-step.html',
  styleUrl: './schedule-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScheduleStep {
  readonly form = input.required<FieldTree<ScheduleChoice>>();

  protected readonly weekdays = WEEKDAYS;
  protected readonly hourSteps = HOUR_STEPS;
  protected readonly timezone = browserTimeZone();
  protected readonly choice = computed(() => this.form()().value());
  protected readonly summary = computed(() => describeSchedule(this.choice()));
  protected readonly upcoming = computed(() => {
    if (this.form()().invalid()) return [];
    const cron = cronOf(this.choice());
    const now = new Date();
    return cron
      ? nextRuns(cron, this.timezone, 3, now).map((run) => describeRun(run, this.timezone, now))
      : [];
  });
}
