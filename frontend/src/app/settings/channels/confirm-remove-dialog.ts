import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';

/** Asks before a channel goes; the dialog closes with `true` when the person confirms. */
@Component({
  selector: 'app-confirm-remove-dialog',
  imports: [MatButtonModule, MatDialogModule],
  templateUrl: './confirm-remove-dialog.html',
  styleUrl: './confirm-remove-dialog.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmRemoveDialog {
  protected readonly name = inject<{ name: string }>(MAT_DIALOG_DATA).name;
}
