import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import type { S3Fields as S3FieldValues } from '../../lib/destination-url';

/** The fields of an S3 destination; keys are secrets, stored encrypted and never shown again. */
@Component({
  selector: 'app-s3-fields',
  imports: [FormField, MatButtonModule, MatCheckboxModule, MatFormFieldModule, MatIconModule, MatInputModule],
  templateUrl: './s3-fields.html',
  styleUrl: './destination-fields.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class S3Fields {
  readonly form = input.required<FieldTree<S3FieldValues>>();
  protected readonly revealSecret = signal(false);

  /** Unset, it follows the engine: bucket in the path everywhere but on AWS. */
  protected readonly pathStyle = computed(
    () => this.form().pathStyle().value() ?? this.form().endpoint().value().trim() !== '',
  );
}
