import {
  botTokenIssue,
  chatIdIssue,
  headerNameIssue,
  httpUrlIssue,
  levelsIssue,
  mailboxIssue,
  recipientsIssue,
  smtpUrlIssue,
  topicIdIssue,
} from './channel-rules';

describe('channel rules', () => {
  it('email: an smtp(s) server without path, a sender and addresses to send to', () => {
    expect(smtpUrlIssue('smtps://mail.example.org:465')).toBeNull();
    expect(smtpUrlIssue('smtp://mail.example.org:587/')).toBeNull();
    expect(smtpUrlIssue('mail.example.org')).toBe(
      'Write it as smtp://host:587 (STARTTLS) or smtps://host:465 (TLS), without a path.',
    );
    expect(mailboxIssue('Cairn <backup@example.org>')).toBeNull();
    expect(mailboxIssue('backup at example.org')).toBe('“backup at example.org” is not an email address.');
    expect(recipientsIssue('ann@example.org; bob@example.org')).toBeNull();
    expect(recipientsIssue('ann@example.org, bob')).toBe('“bob” is not an email address.');
    expect(recipientsIssue(' , ')).toBe('Enter at least one address to send to.');
  });

  it('webhook: an http(s) URL and header names without spaces, each once', () => {
    expect(httpUrlIssue('https://ntfy.sh/backups')).toBeNull();
    expect(httpUrlIssue('ftp://example.org')).toBe(
      'Enter a full web address starting with https:// or http://.',
    );
    expect(httpUrlIssue('ntfy.sh/backups')).toBe(
      'Enter a full web address starting with https:// or http://.',
    );
    const header = (name: string) => ({ name, value: 'x', secret: false, saved: false });
    expect(headerNameIssue('X Token', [header('X Token')])).toBe(
      'A header name has letters, digits and “-”, without spaces.',
    );
    expect(headerNameIssue('Title', [header('Title'), header('title')])).toBe(
      '“Title” appears twice: keep one.',
    );
    expect(headerNameIssue('Priority', [header('Priority'), header('Title')])).toBeNull();
  });

  it('telegram: a bot token unless one is saved, a chat id and an optional topic number', () => {
    expect(botTokenIssue('', false)).toBe('Enter the bot token that @BotFather gave you.');
    expect(botTokenIssue('', true)).toBeNull();
    expect(botTokenIssue('123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', false)).toBeNull();
    expect(botTokenIssue('not-a-token', true)).toBe(
      'A bot token looks like 123456789:AAH…, the number, a colon and a long code.',
    );
    expect(chatIdIssue('-1001234567890')).toBeNull();
    expect(chatIdIssue('@backups_channel')).toBeNull();
    expect(chatIdIssue('my group')).toBe(
      'A chat ID is a number (negative for groups) or a public @channelname.',
    );
    expect(topicIdIssue('')).toBeNull();
    expect(topicIdIssue('4.5')).toBe('A topic ID is a whole number, such as 42.');
  });

  it('needs at least one kind of report', () => {
    expect(levelsIssue({ success: false, warning: false, error: false, fatal: false })).toBe(
      'Pick at least one kind of report, or turn the channel off instead.',
    );
    expect(levelsIssue({ success: false, warning: false, error: true, fatal: false })).toBeNull();
  });
});
