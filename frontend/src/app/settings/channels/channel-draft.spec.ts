import type { Channel } from '../../core/api.types';
import { draftOf, newDraft, toInput, toPatch } from './channel-draft';

const WEBHOOK: Channel = {
  id: '7f1c4a52-9a43-4d3c-b3f5-0d6c1d2a9e10',
  name: 'ntfy',
  kind: 'http',
  settings: { url: 'https://ntfy.sh/backups', method: 'POST', format: 'json', headers: { Title: 'Cairn' } },
  secrets: { Authorization: { set: true } },
  levels: ['error', 'fatal'],
  default: true,
  enabled: true,
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

describe('channel draft', () => {
  it('makes an email channel: addresses as a list, the password as a secret', () => {
    const input = toInput({
      ...newDraft('email'),
      name: ' Ops mailbox ',
      smtpUrl: 'smtps://mail.example.org:465',
      requireTls: true,
      smtpPassword: 'hunter22',
      username: 'cairn',
      from: 'Cairn <backup@example.org>',
      to: 'ann@example.org, bob@example.org',
    });
    expect(input).toMatchObject({
      name: 'Ops mailbox',
      kind: 'email',
      // STARTTLS applies to smtp:// only; smtps:// is TLS from the start.
      settings: {
        url: 'smtps://mail.example.org:465',
        requireTls: false,
        username: 'cairn',
        to: ['ann@example.org', 'bob@example.org'],
      },
      secrets: { password: 'hunter22' },
      levels: ['warning', 'error', 'fatal'],
    });
  });

  it('keeps an untouched saved secret header, and deletes a removed one by sending it empty', () => {
    const draft = draftOf(WEBHOOK);
    expect(draft.headers).toEqual([
      { name: 'Title', value: 'Cairn', secret: false, saved: false },
      { name: 'Authorization', value: '', secret: true, saved: true },
    ]);
    expect(toPatch(draft, ['Authorization'])).not.toHaveProperty('secrets');
    const withoutSecret = { ...draft, headers: draft.headers.filter((header) => !header.secret) };
    expect(toPatch(withoutSecret, ['Authorization']).secrets).toEqual({ Authorization: '' });
    const replaced = draft.headers.map((header) =>
      header.secret ? { ...header, value: 'Bearer new' } : header,
    );
    expect(toPatch({ ...draft, headers: replaced }, ['Authorization'])).toMatchObject({
      settings: { headers: { Title: 'Cairn' } },
      secrets: { Authorization: 'Bearer new' },
    });
  });

  it('sends a telegram topic as a number', () => {
    const input = toInput({
      ...newDraft('telegram'),
      name: 'Phone',
      botToken: '1:abc',
      chatId: '-100',
      topicId: '42',
    });
    expect(input.settings).toEqual({ chatId: '-100', topicId: 42 });
    expect(input.secrets).toEqual({ botToken: '1:abc' });
  });
});
