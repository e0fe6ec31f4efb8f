import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { FieldTree } from '@angular/forms/signals';
import { COMMA, ENTER } from '@angular/cdk/keycodes';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule, type MatChipInputEvent } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import type { JobDraft } from '../job-draft';
import { SourceTree } from './source-tree';

/** Patterns most people want left out; offered as one-click additions. */
const COMMON_EXCLUDES = ['*.tmp', 'node_modules', '.cache', 'Thumbs.db', '.DS_Store'];

/** Step 3: what to back up, and what to leave out. */
@Component({
  selector: 'app-sources-step',
  imports: [MatButtonModule, MatChipsModule, MatFormFieldModule, MatIconModule, SourceTree],
  templateUrl: './sources-step.html',
  styleUrl: './sources-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SourcesStep {
  readonly form = input.required<FieldTree<JobDraft['sources']>>();

  protected readonly separators = [ENTER, COMMA];
  protected readonly paths = computed(() => this.form().paths().value());
  protected readonly excludes = computed(() => this.form().excludes().value());
  protected readonly suggestions = computed(() =>
    COMMON_EXCLUDES.filter((pattern) => !this.excludes().includes(pattern)),
  );
  protected readonly showPathError = computed(
    () => this.form().paths().touched() && this.form().paths().invalid(),
  );

  protected setPaths(paths: string[]): void {
    this.form().paths().value.set(paths);
    this.form().paths().markAsTouched();
  }

  protected removePath(path: string): void {
    this.setPaths(this.paths().filter((candidate) => candidate !== path));
  }

  protected addExclude(pattern: string): void {
    const trimmed = pattern.trim();
    if (trimmed && !this.excludes().includes(trimmed)) {
      this.form()
        .excludes()
        .value.set([...this.excludes(), trimmed]);
    }
  }

  protected addTypedExclude(event: MatChipInputEvent): void {
    this.addExclude(event.value);
    event.chipInput.clear();
  }

  protected removeExclude(pattern: string): void {
    this.form()
      .excludes()
      .value.set(this.excludes().filter((candidate) => candidate !== pattern));
  }
}
