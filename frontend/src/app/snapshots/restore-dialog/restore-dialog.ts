import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import {
  FormControl,
  ReactiveFormsModule,
  type AbstractControl,
  type ValidationErrors,
} from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { ApiService } from '../../core/api';
import type { Run, SnapshotRecord, TreeEntry } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { formatDateTime } from '../../core/format';

export interface RestoreRequest {
  jobId: string;
  snapshot: SnapshotRecord;
  /** What to restore; none means the whole snapshot. */
  entries: TreeEntry[];
}

const LISTED = 5;

/** The runner refuses targets that climb out of its restore folder; say so before asking it. */
function staysInside(control: AbstractControl<string>): ValidationErrors | null {
  return control.value.split('/').includes('..') ? { climbs: true } : null;
}

/** Asks where a restore goes, explains where the files will land, and starts it. */
@Component({
  selector: 'app-restore-dialog',
  imports: [
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ReactiveFormsModule,
  ],
  templateUrl: './restore-dialog.html',
  styleUrl: './restore-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreDialog {
  private readonly api = inject(ApiService);
  private readonly dialogRef = inject<MatDialogRef<RestoreDialog, Run>>(MatDialogRef);
  protected readonly request = inject<RestoreRequest>(MAT_DIALOG_DATA);

  protected readonly target = new FormControl('', { nonNullable: true, validators: staysInside });
  private readonly targetValue = toSignal(this.target.valueChanges, { initialValue: '' });
  /** The runner's restore folder, once it said; until then the example names it in words. */
  protected readonly restoreRoot = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected readonly taken = formatDateTime(this.request.snapshot.time);
  protected readonly listed = this.request.entries.slice(0, LISTED);
  protected readonly unlisted = Math.max(0, this.request.entries.length - LISTED);
  protected readonly hasFolders = this.request.entries.some((entry) => entry.type === 'dir');

  /** Where one restored item will be, shown with the target as typed. */
  protected readonly example = computed(() => {
    const original = this.request.entries[0]?.path ?? this.request.snapshot.paths[0] ?? '/';
    const target = this.targetValue().split('/').filter(Boolean).join('/');
    const root = this.restoreRoot() ?? '‹restore folder›';
    return { original, restored: `${root}${target ? `/${target}` : ''}${original}` };
  });

  constructor() {
    // Only an example depends on it: without an answer the dialog still works.
    this.api.runnerFolders().then(
      ({ restoreRoot }) => this.restoreRoot.set(restoreRoot.replace(/\/$/, '')),
      () => undefined,
    );
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.target.markAsTouched();
    if (this.target.invalid || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const run = await this.api.restore({
        jobId: this.request.jobId,
        snapshotId: this.request.snapshot.id,
        include: this.request.entries.map((entry) => entry.path),
        target: this.target.value.trim(),
      });
      this.dialogRef.close(run);
    } catch (error) {
      this.error.set(describeError(error));
      this.busy.set(false);
    }
  }
}
