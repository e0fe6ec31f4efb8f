import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MIN_PASSPHRASE_LENGTH, passphraseStrength } from '@contracts/rules/passphrase';
import type { JobDraft } from '../job-draft';

/** Step 1: the name and the passphrase that encrypts the repository. */
@Component({
  selector: 'app-general-step',
  imports: [FormField, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  templateUrl: './general-step.html',
  styleUrl: './general-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GeneralStep {
  readonly form = input.required<FieldTree<JobDraft['general']>>();
  /** When editing, the passphrase may stay empty: the saved one is kept. */
  readonly editing = input(false);

  protected readonly minLength = MIN_PASSPHRASE_LENGTH;
  protected readonly reveal = signal(false);
  protected readonly strength = computed(() => passphraseStrength(this.form().passphrase().value()));
}
