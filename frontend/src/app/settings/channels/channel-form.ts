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
import { applyEach, applyWhen, disabled, form, FormField, FormRoot, validate } from '@angular/forms/signals';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatExpansionModule } from '@angular/material/expansion';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { ApiService } from '../../core/api';
import type { Channel } from '../../core/api.types';
import { describeError } from '../../core/errors';
import {
  draftOf,
  KIND_LABELS,
  newDraft,
  REPORT_LEVELS,
  toInput,
  toPatch,
  type ChannelDraft,
  type ChannelKind,
  type ReportLevel,
} from './channel-draft';
import {
  botTokenIssue,
  channelNameIssue,
  chatIdIssue,
  headerNameIssue,
  headerValueIssue,
  httpUrlIssue,
  levelsIssue,
  mailboxIssue,
  recipientsIssue,
  smtpUrlIssue,
  topicIdIssue,
} from './channel-rules';

const LEVEL_TEXTS: Record<ReportLevel, [label: string, hint: string]> = {
  success: ['Success', 'runs that finished fine'],
  warning: ['Warning', 'finished with unreadable files, or cancelled'],
  error: ['Error', 'failed along the way'],
  fatal: ['Fatal', 'could not start: destination unreachable, wrong passphrase…'],
};

/** Adds a channel (no `channel`) or edits one; the fields follow the kind. */
@Component({
  selector: 'app-channel-form',
  imports: [
    FormField,
    FormRoot,
    MatButtonModule,
    MatButtonToggleModule,
    MatCheckboxModule,
    MatExpansionModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatSlideToggleModule,
  ],
  templateUrl: './channel-form.html',
  styleUrl: './channel-form.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChannelForm {
  private readonly api = inject(ApiService);
  readonly channel = input<Channel | null>(null);
  readonly saved = output<Channel>();
  readonly cancelled = output<void>();

  protected readonly kinds = Object.entries(KIND_LABELS) as [ChannelKind, string][];
  protected readonly levels = REPORT_LEVELS.map((level) => {
    const [label, hint] = LEVEL_TEXTS[level];
    return { level, label, hint };
  });
  protected readonly methods = ['POST', 'PUT', 'PATCH', 'GET'];
  protected readonly error = signal<string | null>(null);
  /** Secrets stored for the edited channel: shown as "saved", never as values. */
  protected readonly savedSecrets = computed(() => Object.keys(this.channel()?.secrets ?? {}));

  private readonly draft = linkedSignal<ChannelDraft>(() => {
    const channel = this.channel();
    return channel ? draftOf(channel) : newDraft();
  });
  protected readonly fields = form(
    this.draft,
    (path) => {
      validate(path.name, ({ value }) => asError(channelNameIssue(value())));
      validate(path.levels, ({ value }) => asError(levelsIssue(value())));
      applyWhen(
        path,
        ({ value }) => value().kind === 'email',
        (email) => {
          validate(email.smtpUrl, ({ value }) => asError(smtpUrlIssue(value())));
          validate(email.from, ({ value }) => asError(mailboxIssue(value())));
          validate(email.to, ({ value }) => asError(recipientsIssue(value())));
        },
      );
      applyWhen(
        path,
        ({ value }) => value().kind === 'http',
        (http) => {
          validate(http.httpUrl, ({ value }) => asError(httpUrlIssue(value())));
          applyEach(http.headers, (header) => {
            disabled(header.name, ({ valueOf }) => valueOf(header.saved));
            disabled(header.secret, ({ valueOf }) => valueOf(header.saved));
            validate(header.name, ({ value, valueOf }) =>
              asError(headerNameIssue(value(), valueOf(http.headers))),
            );
            validate(header.value, ({ valueOf }) =>
              asError(
                headerValueIssue({
                  name: valueOf(header.name),
                  value: valueOf(header.value),
                  secret: valueOf(header.secret),
                  saved: valueOf(header.saved),
                }),
              ),
            );
          });
        },
      );
      applyWhen(
        path,
        ({ value }) => value().kind === 'telegram',
        (telegram) => {
          validate(telegram.botToken, ({ value }) =>
            asError(botTokenIssue(value(), this.savedSecrets().includes('botToken'))),
          );
          validate(telegram.chatId, ({ value }) => asError(chatIdIssue(value())));
          validate(telegram.topicId, ({ value }) => asError(topicIdIssue(value())));
        },
      );
    },
    { submission: { action: () => this.save() } },
  );

  protected chooseKind(kind: ChannelKind): void {
    this.draft.update((draft) => ({ ...draft, kind }));
  }

  protected addHeader(): void {
    this.draft.update((draft) => ({
      ...draft,
      headers: [...draft.headers, { name: '', value: '', secret: false, saved: false }],
    }));
  }

  protected removeHeader(index: number): void {
    this.draft.update((draft) => ({ ...draft, headers: draft.headers.filter((_, at) => at !== index) }));
  }

  protected isSaved(secret: string): boolean {
    return this.savedSecrets().includes(secret);
  }

  private async save(): Promise<undefined> {
    const channel = this.channel();
    this.error.set(null);
    try {
      this.saved.emit(
        channel
          ? await this.api.updateChannel(channel.id, toPatch(this.draft(), this.savedSecrets()))
          : await this.api.createChannel(toInput(this.draft())),
      );
    } catch (error) {
      this.error.set(describeError(error));
    }
    return undefined;
  }
}

function asError(message: string | null) {
  return message ? { kind: 'channel', message } : undefined;
}
