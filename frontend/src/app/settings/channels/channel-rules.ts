import { addressList, REPORT_LEVELS, type HeaderDraft, type ReportLevel } from './channel-draft';

// Each rule answers null when the value is fine, else what to change, in words.

const EMAIL_ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+$/;
/** Cairn <backup@example.org> or backup@example.org */
const MAILBOX = /^(?:[^<>]*<([^<>]+)>|([^<>]+))$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const BOT_TOKEN = /^\d+:[\w-]{20,}$/;
const CHAT_ID = /^(-?\d+|@[A-Za-z][\w]{3,})$/;

export function channelNameIssue(name: string): string | null {
  if (!name.trim()) return 'Give the channel a name, such as “Family phone” or “Ops mailbox”.';
  return name.trim().length > 100 ? 'Keep the name under 100 characters.' : null;
}

export function levelsIssue(levels: Record<ReportLevel, boolean>): string | null {
  return REPORT_LEVELS.some((level) => levels[level])
    ? null
    : 'Pick at least one kind of report, or turn the channel off instead.';
}

export function smtpUrlIssue(url: string): string | null {
  if (!url.trim()) return 'Enter the mail server, such as smtps://mail.example.org:465.';
  return /^smtps?:\/\/[^/\s]+\/?$/.test(url.trim())
    ? null
    : 'Write it as smtp://host:587 (STARTTLS) or smtps://host:465 (TLS), without a path.';
}

export function mailboxIssue(text: string): string | null {
  if (!text.trim()) return 'Enter the sender address.';
  return isMailbox(text.trim()) ? null : `“${text.trim()}” is not an email address.`;
}

export function recipientsIssue(text: string): string | null {
  const addresses = addressList(text);
  if (addresses.length === 0) return 'Enter at least one address to send to.';
  const wrong = addresses.find((address) => !isMailbox(address));
  return wrong ? `“${wrong}” is not an email address.` : null;
}

export function httpUrlIssue(url: string): string | null {
  if (!url.trim()) return 'Enter the address to send to, starting with https://.';
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') return null;
  } catch {
    // Not a URL at all: the same advice as for another scheme.
  }
  return 'Enter a full web address starting with https:// or http://.';
}

export function headerNameIssue(name: string, headers: readonly HeaderDraft[]): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Enter the header name, such as Authorization.';
  if (!HEADER_NAME.test(trimmed)) return 'A header name has letters, digits and “-”, without spaces.';
  const same = headers.filter((header) => header.name.trim().toLowerCase() === trimmed.toLowerCase());
  return same.length > 1 ? `“${trimmed}” appears twice: keep one.` : null;
}

export function headerValueIssue(header: HeaderDraft): string | null {
  return header.value || header.saved ? null : 'Enter the header value.';
}

export function botTokenIssue(token: string, saved: boolean): string | null {
  if (!token.trim()) return saved ? null : 'Enter the bot token that @BotFather gave you.';
  return BOT_TOKEN.test(token.trim())
    ? null
    : 'A bot token looks like 123456789:AAH…, the number, a colon and a long code.';
}

export function chatIdIssue(chatId: string): string | null {
  if (!chatId.trim()) return 'Enter the chat ID, such as 123456789, -1001234567890 or @yourchannel.';
  return CHAT_ID.test(chatId.trim())
    ? null
    : 'A chat ID is a number (negative for groups) or a public @channelname.';
}

export function topicIdIssue(topicId: string): string | null {
  if (!topicId.trim()) return null;
  return /^[1-9]\d*$/.test(topicId.trim()) ? null : 'A topic ID is a whole number, such as 42.';
}

function isMailbox(text: string): boolean {
  const match = MAILBOX.exec(text);
  const address = (match?.[1] ?? match?.[2])?.trim();
  return address !== undefined && EMAIL_ADDRESS.test(address);
}
