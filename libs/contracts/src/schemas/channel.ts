import * as z from 'zod';
import { Id, SecretState, Timestamp } from './common.js';
import { patchOf } from './patch.js';

/** How bad a report is; a channel picks the levels it wants (Duplicati's Success…Fatal). */
export const ReportLevel = z.enum(['success', 'warning', 'error', 'fatal']);
export type ReportLevel = z.infer<typeof ReportLevel>;

export const ChannelKind = z.enum(['email', 'http', 'telegram']);
export type ChannelKind = z.infer<typeof ChannelKind>;

/** `smtp://` (STARTTLS when offered), `smtps://` (TLS from the start); the password is a secret. */
export const EmailSettings = z.object({
  url: z.string().regex(/^smtps?:\/\/[^/]+\/?$/, 'an smtp:// or smtps:// URL without path'),
  /** Refuse to send unless STARTTLS succeeds (smtp:// only). */
  requireTls: z.boolean().default(false),
  username: z.string().optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
});
export type EmailSettings = z.infer<typeof EmailSettings>;

/** ntfy, Gotify, Healthchecks, Slack/Discord webhooks…; secrets are extra headers (Authorization…). */
export const HttpSettings = z.object({
  url: z.url({ protocol: /^https?$/ }),
  method: z
    .string()
    .regex(/^[A-Z]+$/)
    .default('POST'),
  format: z.enum(['json', 'form', 'text']).default('json'),
  headers: z.record(z.string(), z.string()).default({}),
});
export type HttpSettings = z.infer<typeof HttpSettings>;

/** Bot API `sendMessage`; the bot token is the secret `botToken`. */
export const TelegramSettings = z.object({
  chatId: z.string().min(1),
  /** Forum topic (message_thread_id). */
  topicId: z.number().int().positive().optional(),
});
export type TelegramSettings = z.infer<typeof TelegramSettings>;

export const CHANNEL_SETTINGS = { email: EmailSettings, http: HttpSettings, telegram: TelegramSettings };

/** Which secrets a kind accepts (`null`: any name, each one an HTTP header). */
export const CHANNEL_SECRETS: Record<ChannelKind, string[] | null> = {
  email: ['password'],
  http: null,
  telegram: ['botToken'],
};

const channelFields = z.object({
  name: z.string().trim().min(1).max(100),
  kind: ChannelKind,
  /** Per kind: EmailSettings, HttpSettings or TelegramSettings. */
  settings: z.record(z.string(), z.unknown()),
  /** SMTP password, bot token, secret HTTP headers: stored encrypted, never returned. */
  secrets: z.record(z.string(), z.string()).optional(),
  levels: z.array(ReportLevel).min(1).default(['warning', 'error', 'fatal']),
  /** `{{job.name}}` or Duplicati's `%backup-name%` variables; absent = a default fit for a phone. */
  subjectTemplate: z.string().max(500).optional(),
  bodyTemplate: z.string().max(20_000).optional(),
  /** Default channels report for every job that picks none of its own. */
  default: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

/** Checks `settings` and `secret` names against the kind (also after merging a patch). */
export function channelIssues(channel: {
  kind: ChannelKind;
  settings: Record<string, unknown>;
  secrets?: Record<string, string>;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const parsed = CHANNEL_SETTINGS[channel.kind].safeParse(channel.settings);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ path: ['settings', ...issue.path.map(String)], message: issue.message });
    }
  }
  const allowed = CHANNEL_SECRETS[channel.kind];
  for (const name of Object.keys(channel.secrets ?? {})) {
    if (allowed && !allowed.includes(name)) {
      issues.push({
        path: ['secrets', name],
        message: `a ${channel.kind} channel takes only ${allowed.join(', ')}`,
      });
    }
  }
  return issues;
}

export const ChannelInput = channelFields.superRefine((channel, context) => {
  for (const issue of channelIssues(channel)) context.addIssue({ code: 'custom', ...issue });
});
export type ChannelInput = z.infer<typeof ChannelInput>;

/** Absent fields stay; `secrets` merge by name and an empty value removes one (like destinations). */
export const ChannelPatch = patchOf(channelFields);
export type ChannelPatch = z.infer<typeof ChannelPatch>;

export const Channel = channelFields.omit({ secrets: true }).extend({
  id: Id,
  secrets: z.record(z.string(), SecretState),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Channel = z.infer<typeof Channel>;

/** What the notifier needs to send: secrets decrypted. Only over request/reply, never in a stream. */
export const ResolvedChannel = Channel.omit({ secrets: true }).extend({
  secrets: z.record(z.string(), z.string()),
});
export type ResolvedChannel = z.infer<typeof ResolvedChannel>;
