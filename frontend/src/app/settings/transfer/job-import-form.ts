import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { form, FormField, FormRoot, validate } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { RouterLink } from '@angular/router';
import { defaultRepositoryPath } from '@contracts/repository-location';
import { ApiService } from '../../core/api';
import type { Destination, Job } from '../../core/api.types';
import { describeError } from '../../core/errors';
import { browserTimeZone } from '../../jobs/lib/cron';
import { destinationKind, readJobFile, type JobFileReading } from './job-file';
import {
  EMPTY_IMPORT,
  importBody,
  jobNameIssue,
  matchingDestination,
  passphraseIssue,
  repositoryPathIssue,
  type ImportDraft,
} from './import-rules';

/**
 * Imports an exported job (Cairn's, or a Duplicati job's): the file or pasted JSON, plus the secrets
 * an export never carries. A Duplicati job is previewed (what maps, what does not) before it is saved.
 */
@Component({
  selector: 'app-job-import-form',
  imports: [
    FormField,
    FormRoot,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    RouterLink,
  ],
  templateUrl: './job-import-form.html',
  styleUrl: './job-import-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobImportForm {
  private readonly api = inject(ApiService);
  readonly jobs = input.required<readonly Job[]>();
  readonly destinations = input.required<readonly Destination[]>();
  readonly imported = output<Job>();

  protected readonly text = signal('');
  /**
   * What the text box shows: only what was typed or pasted there, never a chosen file, whose content
   * (a Duplicati export "with passwords") may hold the passphrase and the destination's credentials.
   */
  protected readonly pasted = signal('');
  protected readonly fileName = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly created = signal<Job | null>(null);

  /** The runner's source roots, which a Duplicati job's sources must lie under; null until known. */
  private readonly sourceRoots = signal<readonly string[] | null>(null);
  private readonly timezone = browserTimeZone();

  protected readonly reading = computed(() =>
    readJobFile(this.text(), { sourceRoots: this.sourceRoots(), timezone: this.timezone }),
  );
  protected readonly file = computed(() => this.reading().file);
  protected readonly duplicati = computed(() => this.reading().duplicati);
  protected readonly existing = computed(() => {
    const file = this.file();
    return file && matchingDestination(file, this.destinations());
  });
  /** Credentials are asked only when the import creates the destination. */
  protected readonly credentials = computed(() => {
    const file = this.file();
    return file && !this.existing() ? destinationKind(file.destination.url) : 'folder';
  });
  protected readonly sources = computed(() => (this.file()?.job['sources'] as string[] | undefined) ?? []);
  private readonly jobsOnDestination = computed(() =>
    this.jobs().filter((job) => job.destinationId === this.existing()?.id),
  );

  private readonly draft = linkedSignal<ImportDraft>(() => draftFor(this.reading()));
  protected readonly fields = form(
    this.draft,
    (path) => {
      validate(path.name, ({ value }) => asError(jobNameIssue(value(), this.jobs())));
      validate(path.repositoryPath, ({ value, valueOf }) =>
        asError(repositoryPathIssue(value(), this.jobsOnDestination(), valueOf(path.name))),
      );
      validate(path.passphrase, ({ value }) => asError(passphraseIssue(value())));
      validate(path.accessKeyId, ({ value }) =>
        asError(this.credentials() === 's3' && !value().trim() ? 'Enter the access key ID.' : null),
      );
      validate(path.secretAccessKey, ({ value }) =>
        asError(this.credentials() === 's3' && !value() ? 'Enter the secret access key.' : null),
      );
      validate(path.password, ({ value, valueOf }) =>
        asError(
          this.credentials() === 'sftp' && !value() && !valueOf(path.privateKey).trim()
            ? 'Enter the SFTP password, or paste a private key below.'
            : null,
        ),
      );
    },
    { submission: { action: () => this.import() } },
  );

  constructor() {
    void this.loadSourceRoots();
  }

  /** Without them a Duplicati job's sources are taken as they are, and the runner judges them at the run. */
  private async loadSourceRoots(): Promise<void> {
    try {
      this.sourceRoots.set((await this.api.runnerFolders()).sourceRoots);
    } catch {
      this.sourceRoots.set(null);
    }
  }

  protected async pick(event: Event): Promise<void> {
    const picker = event.target as HTMLInputElement;
    const chosen = picker.files?.[0];
    picker.value = '';
    if (!chosen) return;
    this.created.set(null);
    this.fileName.set(chosen.name);
    this.pasted.set('');
    this.text.set(await chosen.text());
  }

  protected paste(text: string): void {
    this.created.set(null);
    this.fileName.set(null);
    this.pasted.set(text);
    this.text.set(text);
  }

  protected startOver(): void {
    this.paste('');
    this.error.set(null);
  }

  private async import(): Promise<undefined> {
    const file = this.file();
    if (!file) return undefined;
    this.error.set(null);
    try {
      const job = await this.api.importJob(importBody(file, this.draft(), this.existing() !== null));
      this.created.set(job);
      this.fileName.set(null);
      this.pasted.set('');
      this.text.set('');
      this.imported.emit(job);
    } catch (error) {
      this.error.set(describeError(error));
    }
    return undefined;
  }
}

/** The draft a file starts: a Duplicati export may bring the passphrase and the destination's credentials. */
function draftFor({ file, duplicati }: JobFileReading): ImportDraft {
  if (!file) return { ...EMPTY_IMPORT };
  const name = String(file.job['name']);
  const path = file.job['repositoryPath'];
  return {
    ...EMPTY_IMPORT,
    ...duplicati?.secrets,
    ...(duplicati?.passphrase ? { passphrase: duplicati.passphrase } : {}),
    name,
    repositoryPath: typeof path === 'string' ? path : defaultRepositoryPath(name),
  };
}

function asError(message: string | null) {
  return message ? { kind: 'import', message } : undefined;
}
