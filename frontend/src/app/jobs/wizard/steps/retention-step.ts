import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import {
  SMART_POLICY,
  describePolicy,
  describeRetention,
  retentionOf,
  type RetentionChoice,
} from '../../lib/retention';

/** Step 5: which snapshots to keep as they age. */
@Component({
  selector: 'app-retention-step',
  imports: [FormField, MatFormFieldModule, MatIconModule, MatInputModule, MatRadioModule],
  templateUrl: './retention-step.html',
  styleUrl: './retention-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RetentionStep {
  readonly form = input.required<FieldTree<RetentionChoice>>();

  protected readonly smartPolicy = SMART_POLICY;
  protected readonly smartWords = capitalize(describePolicy(SMART_POLICY));
  protected readonly choice = computed(() => this.form()().value());
  /** The choice in words while it is valid (Smart explains itself in place). */
  protected readonly words = computed(() =>
    this.form()().invalid() || this.choice().preset === 'smart'
      ? null
      : describeRetention(retentionOf(this.choice())),
  );
  protected readonly customErrors = computed(() => (this.form()().touched() ? this.form()().errors() : []));
  protected readonly counts = [
    { key: 'keepDaily', label: 'Days' },
    { key: 'keepWeekly', label: 'Weeks' },
    { key: 'keepMonthly', label: 'Months' },
    { key: 'keepYearly', label: 'Years' },
  ] as const;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
