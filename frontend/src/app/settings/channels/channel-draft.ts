import type { Channel, ChannelInput, ChannelPatch } from '../../core/api.types';

export type ChannelKind = Channel['kind'];
export type ReportLevel = Channel['levels'][number];
export const REPORT_LEVELS: readonly ReportLevel[] = ['success', 'warning', 'error', 'fatal'];

export const KIND_LABELS: Record<ChannelKind, string> = {
  email: 'Email',
  http: 'Webhook (HTTP)',
  telegram: 'Telegram',
};

/** One HTTP header; a secret one (Authorization, a token) is stored encrypted and never shown again. */
export interface HeaderDraft {
  name: string;
  value: string;
  secret: boolean;
  /** A secret header already stored: its value stays unless a new one is typed. */
  saved: boolean;
}

/** Everything the channel form edits, as text and flags; `toInput`/`toPatch` make the API's shape. */
export interface ChannelDraft {
  name: string;
  kind: ChannelKind;
  levels: Record<ReportLevel, boolean>;
  isDefault: boolean;
  enabled: boolean;
  subjectTemplate: string;
  bodyTemplate: string;
  smtpUrl: string;
  requireTls: boolean;
  username: string;
  smtpPassword: string;
  from: string;
  to: string;
  httpUrl: string;
  method: string;
  format: 'json' | 'form' | 'text';
  headers: HeaderDraft[];
  botToken: string;
  chatId: string;
  topicId: string;
}

export function newDraft(kind: ChannelKind = 'email'): ChannelDraft {
  return {
    name: '',
    kind,
    levels: { success: false, warning: true, error: true, fatal: true },
    isDefault: false,
    enabled: true,
    subjectTemplate: '',
    bodyTemplate: '',
    smtpUrl: '',
    requireTls: false,
    username: '',
    smtpPassword: '',
    from: '',
    to: '',
    httpUrl: '',
    method: 'POST',
    format: 'json',
    headers: [],
    botToken: '',
    chatId: '',
    topicId: '',
  };
}

export function draftOf(channel: Channel): ChannelDraft {
  const settings = channel.settings;
  const text = (key: string, fallback = '') => (typeof settings[key] === 'string' ? settings[key] : fallback);
  const plainHeaders = Object.entries((settings['headers'] ?? {}) as Record<string, string>).map(
    ([name, value]) => ({ name, value, secret: false, saved: false }),
  );
  const secretHeaders =
    channel.kind === 'http'
      ? Object.keys(channel.secrets).map((name) => ({ name, value: '', secret: true, saved: true }))
      : [];
  return {
    ...newDraft(channel.kind),
    name: channel.name,
    levels: Object.fromEntries(
      REPORT_LEVELS.map((level) => [level, channel.levels.includes(level)]),
    ) as Record<ReportLevel, boolean>,
    isDefault: channel.default,
    enabled: channel.enabled,
    subjectTemplate: channel.subjectTemplate ?? '',
    bodyTemplate: channel.bodyTemplate ?? '',
    smtpUrl: text('url'),
    requireTls: settings['requireTls'] === true,
    username: text('username'),
    from: text('from'),
    to: ((settings['to'] ?? []) as string[]).join(', '),
    httpUrl: channel.kind === 'http' ? text('url') : '',
    method: text('method', 'POST'),
    format: text('format', 'json') as ChannelDraft['format'],
    headers: [...plainHeaders, ...secretHeaders],
    chatId: text('chatId'),
    topicId: typeof settings['topicId'] === 'number' ? String(settings['topicId']) : '',
  };
}

export function toInput(draft: ChannelDraft): ChannelInput {
  const secrets = secretsOf(draft, []);
  return {
    ...common(draft),
    kind: draft.kind,
    settings: settingsOf(draft),
    ...(Object.keys(secrets).length ? { secrets } : {}),
  } as ChannelInput;
}

/** Secrets merge by name: untouched saved ones stay, removed ones are sent empty (which deletes them). */
export function toPatch(draft: ChannelDraft, savedSecrets: readonly string[]): ChannelPatch {
  const secrets = secretsOf(draft, savedSecrets);
  return {
    ...common(draft),
    settings: settingsOf(draft),
    ...(Object.keys(secrets).length ? { secrets } : {}),
  };
}

/** The addresses in a To field: separated by commas, semicolons or new lines. */
export function addressList(text: string): string[] {
  return text
    .split(/[,;\n]/)
    .map((address) => address.trim())
    .filter(Boolean);
}

function common(draft: ChannelDraft) {
  return {
    name: draft.name.trim(),
    levels: REPORT_LEVELS.filter((level) => draft.levels[level]),
    default: draft.isDefault,
    enabled: draft.enabled,
    // An empty template means "Cairn's default message" to the notifier.
    subjectTemplate: draft.subjectTemplate,
    bodyTemplate: draft.bodyTemplate,
  };
}

function settingsOf(draft: ChannelDraft): Record<string, unknown> {
  switch (draft.kind) {
    case 'email':
      return {
        url: draft.smtpUrl.trim(),
        requireTls: draft.requireTls && draft.smtpUrl.trim().startsWith('smtp:'),
        ...(draft.username.trim() ? { username: draft.username.trim() } : {}),
        from: draft.from.trim(),
        to: addressList(draft.to),
      };
    case 'http':
      return {
        url: draft.httpUrl.trim(),
        method: draft.method,
        format: draft.format,
        headers: Object.fromEntries(
          draft.headers
            .filter((header) => !header.secret)
            .map((header) => [header.name.trim(), header.value]),
        ),
      };
    case 'telegram':
      return {
        chatId: draft.chatId.trim(),
        ...(draft.topicId.trim() ? { topicId: Number(draft.topicId) } : {}),
      };
  }
}

function secretsOf(draft: ChannelDraft, savedSecrets: readonly string[]): Record<string, string> {
  const typed: [string, string][] =
    draft.kind === 'email'
      ? [['password', draft.smtpPassword]]
      : draft.kind === 'telegram'
        ? [['botToken', draft.botToken.trim()]]
        : draft.headers.filter((header) => header.secret).map((header) => [header.name.trim(), header.value]);
  const secrets = Object.fromEntries(typed.filter(([, value]) => value));
  if (draft.kind === 'http') {
    const kept = new Set(draft.headers.filter((header) => header.secret).map((header) => header.name.trim()));
    for (const name of savedSecrets) if (!kept.has(name)) secrets[name] = '';
  }
  return secrets;
}
