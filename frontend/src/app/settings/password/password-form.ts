import { ChangeDetectionStrategy, Component, inject, linkedSignal, signal } from '@angular/core';
import { form, FormField, FormRoot, validate } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { AuthService } from '../../core/auth';
import { describeError } from '../../core/errors';
import {
  currentPasswordIssue,
  MIN_PASSWORD_LENGTH,
  newPasswordIssue,
  repeatIssue,
  type PasswordChange,
} from './password-rules';

const EMPTY: PasswordChange = { current: '', next: '', repeat: '' };

/** Changes the admin password; the session continues with the tokens the change returns. */
@Component({
  selector: 'app-password-form',
  imports: [FormField, FormRoot, MatButtonModule, MatFormFieldModule, MatIconModule, MatInputModule],
  templateUrl: './password-form.html',
  styleUrl: './password-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordForm {
  private readonly auth = inject(AuthService);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly reveal = signal(false);
  protected readonly changed = signal(false);
  private readonly model = signal<PasswordChange>({ ...EMPTY });
  /** The server's answer to the passwords sent; gone as soon as they are edited, so never stale. */
  protected readonly error = linkedSignal<PasswordChange, string | null>({
    source: this.model,
    computation: () => null,
  });

  protected readonly passwords = form(
    this.model,
    (path) => {
      validate(path.current, ({ value }) => asError(currentPasswordIssue(value())));
      validate(path.next, ({ valueOf }) => asError(newPasswordIssue(valueOf(path))));
      validate(path.repeat, ({ valueOf }) => asError(repeatIssue(valueOf(path))));
    },
    {
      submission: {
        action: async (field) => {
          const { current, next } = field().value();
          this.error.set(null);
          this.changed.set(false);
          try {
            await this.auth.changePassword(current, next);
            field().reset({ ...EMPTY });
            this.changed.set(true);
          } catch (error) {
            this.error.set(describeError(error));
          }
          return undefined;
        },
      },
    },
  );
}

function asError(message: string | null) {
  return message ? { kind: 'password', message } : undefined;
}
