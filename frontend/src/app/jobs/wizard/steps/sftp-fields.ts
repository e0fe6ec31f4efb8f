import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import type { SftpFields as SftpFieldValues } from '../../lib/destination-url';

/** The fields of an SFTP destination; the key or password is a secret, stored encrypted. */
@Component({
  selector: 'app-sftp-fields',
  imports: [FormField, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule, MatRadioModule],
  templateUrl: './sftp-fields.html',
  styleUrl: './destination-fields.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SftpFields {
  readonly form = input.required<FieldTree<SftpFieldValues>>();
  protected readonly revealPassword = signal(false);
}
