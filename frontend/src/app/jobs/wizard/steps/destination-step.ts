import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormField, type FieldTree } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { MatRadioModule } from '@angular/material/radio';
import { defaultRepositoryPath } from '@contracts/repository-location';
import { ApiService } from '../../../core/api';
import type { Destination, DestinationTestResult } from '../../../core/api.types';
import { describeError } from '../../../core/errors';
import { describeDestinationUrl, suggestedDestinationName } from '../../lib/destination-url';
import { destinationTarget, type DestinationDraft } from '../job-draft';
import { S3Fields } from './s3-fields';
import { SftpFields } from './sftp-fields';

interface TestOutcome {
  /** What was tested: the result is shown only while the fields still say the same. */
  subject: string;
  result?: DestinationTestResult;
  error?: string;
}

/** Step 2: a saved destination, or a new folder, S3 bucket or SFTP server, with a connection test. */
@Component({
  selector: 'app-destination-step',
  imports: [
    FormField,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressSpinnerModule,
    MatRadioModule,
    S3Fields,
    SftpFields,
  ],
  templateUrl: './destination-step.html',
  styleUrl: './destination-step.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DestinationStep {
  private readonly api = inject(ApiService);

  readonly form = input.required<FieldTree<DestinationDraft>>();
  readonly destinations = input<Destination[]>([]);
  readonly jobName = input('');
  readonly editing = input(false);

  protected readonly describe = describeDestinationUrl;
  protected readonly value = computed(() => this.form()().value());
  protected readonly target = computed(() => destinationTarget(this.value()));
  protected readonly suggestedName = computed(() =>
    suggestedDestinationName(
      this.target().url,
      this.destinations().map((saved) => saved.name),
    ),
  );
  /** A new destination that is already saved: better to reuse it than to save it twice. */
  protected readonly alreadySaved = computed(() =>
    this.value().mode === 'new'
      ? this.destinations().find((saved) => saved.url === this.target().url)
      : undefined,
  );
  protected readonly defaultPath = computed(() => defaultRepositoryPath(this.jobName()));
  private readonly subject = computed(() => {
    const value = this.value();
    return value.mode === 'existing' ? `saved:${value.existingId}` : JSON.stringify(this.target());
  });

  protected readonly testing = signal(false);
  private readonly outcome = signal<TestOutcome | null>(null);
  protected readonly currentOutcome = computed(() => {
    const outcome = this.outcome();
    return outcome?.subject === this.subject() ? outcome : null;
  });

  protected useSaved(destination: Destination): void {
    this.form().existingId().value.set(destination.id);
    this.form().mode().value.set('existing');
  }

  /** Fields that just appeared wait for the person to leave them (or press Next) before complaining. */
  protected startFresh(choice: DestinationDraft['kind'] | DestinationDraft['mode']): void {
    const form = this.form();
    if (choice === 'existing') form.existingId().reset();
    else if (choice === 'new') form[this.value().kind]().reset();
    else form[choice]().reset();
  }

  /**
   * The SSH host key the test was stopped by, when the person can trust it here: a new SFTP
   * destination (a saved one keeps the key it was saved with).
   */
  protected trustable(result: DestinationTestResult): string | null {
    const { hostKey } = result;
    const value = this.value();
    return hostKey && value.mode === 'new' && value.kind === 'sftp' ? hostKey : null;
  }

  /** Fills in the fingerprint the server presented and tests again with it. */
  protected async trustHostKey(hostKey: string): Promise<void> {
    this.form().sftp.hostKey().value.set(hostKey);
    await this.testConnection();
  }

  protected async testConnection(): Promise<void> {
    const form = this.form();
    const value = this.value();
    const fields = value.mode === 'existing' ? form.existingId : form[value.kind];
    fields().markAsTouched();
    const firstError = fields().errorSummary()[0];
    if (firstError) {
      firstError.fieldTree().focusBoundControl();
      return;
    }
    const subject = this.subject();
    this.testing.set(true);
    try {
      const result =
        value.mode === 'existing'
          ? await this.api.testSavedDestination(value.existingId)
          : await this.api.testDestination(this.target());
      this.outcome.set({ subject, result });
    } catch (error) {
      this.outcome.set({ subject, error: describeError(error) });
    } finally {
      this.testing.set(false);
    }
  }
}
