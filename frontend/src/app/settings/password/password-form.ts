import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { form, FormField, FormRoot, validate } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { firstValueFrom } from 'rxjs';
import { AuthService } from '../../core/auth';
import { describeError } from '../../core/errors';
import {
  currentPasswordIssue,
  MIN_PASSWORD_LENGTH,
  newPasswordIssue,
  repeatIssue,
  type PasswordChange,
} from './password-rules';

const PASSWORD_URL = '/api/v1/auth/password';
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
  private readonly http = inject(HttpClient);

  protected readonly minLength = MIN_PASSWORD_LENGTH;
  protected readonly reveal = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly changed = signal(false);
  private readonly model = signal<PasswordChange>({ ...EMPTY });

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
            await this.changePassword(current, next);
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

  /**
   * AuthService.changePassword goes through the interceptor, which sends no access token to
   * /api/v1/auth/*, so the gateway refuses it; this sends the token itself, then renews the session
   * from the refresh cookie the change sets (the change ends every token issued before).
   */
  private async changePassword(current: string, next: string): Promise<void> {
    const headers = { Authorization: `Bearer ${this.auth.accessToken() ?? ''}` };
    await firstValueFrom(this.http.post(PASSWORD_URL, { current, next }, { headers }));
    await this.auth.refresh();
  }
}

function asError(message: string | null) {
  return message ? { kind: 'password', message } : undefined;
}
