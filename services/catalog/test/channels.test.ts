import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CATALOG, ChannelInput } from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { unique } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';

const telegram = (overrides: Partial<ChannelInput> = {}) => ({
  name: unique('telegram'),
  kind: 'telegram' as const,
  settings: { chatId: '-100123', topicId: 7 },
  secrets: { botToken: '123456:SECRET-BOT-TOKEN' },
  ...overrides,
});

describe('notification channels and deliveries over NATS', () => {
  let catalog: TestCatalog;
  before(async () => {
    catalog = await startCatalog('channels');
  });
  after(() => catalog?.stop());

  test('create fills defaults, never returns secrets, resolve opens them', async () => {
    const created = await catalog.call(CATALOG.channels.create, telegram());
    assert.deepEqual(created.levels, ['warning', 'error', 'fatal']);
    assert.equal(created.default, false);
    assert.deepEqual(created.secrets, { botToken: { set: true } });
    assert.ok(!JSON.stringify(created).includes('SECRET-BOT-TOKEN'));
    const [resolved] = await catalog.call(CATALOG.channels.resolve, { ids: [created.id] });
    assert.equal(resolved?.secrets.botToken, '123456:SECRET-BOT-TOKEN');
    assert.ok(!catalog.logs.text.includes('SECRET-BOT-TOKEN'));

    const http = await catalog.call(CATALOG.channels.create, {
      name: unique('http'),
      kind: 'http',
      settings: { url: 'http://127.0.0.1:1/hook' },
      secrets: { Authorization: 'Bearer xyz' },
    });
    assert.deepEqual(http.settings, {
      url: 'http://127.0.0.1:1/hook',
      method: 'POST',
      format: 'json',
      headers: {},
    });
  });

  test('settings and secret names are checked against the kind, on create and on update', async () => {
    // Both ends validate with the same schema; the caller's end already refuses.
    const issuePaths = (input: unknown) =>
      ChannelInput.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(issuePaths(telegram({ settings: {} })), ['settings.chatId']);
    assert.deepEqual(issuePaths(telegram({ secrets: { password: 'x' } })), ['secrets.password']);
    const created = await catalog.call(CATALOG.channels.create, telegram());
    await rejectsWith(
      catalog.call(CATALOG.channels.update, { id: created.id, patch: { kind: 'email' } }),
      'bad-request',
    );
    const updated = await catalog.call(CATALOG.channels.update, {
      id: created.id,
      patch: { levels: ['success', 'fatal'], default: true, subjectTemplate: '%OPERATIONNAME% {{job.name}}' },
    });
    assert.deepEqual(updated.levels, ['success', 'fatal']);
    assert.equal(updated.default, true);
    assert.equal(updated.subjectTemplate, '%OPERATIONNAME% {{job.name}}');
    assert.deepEqual(updated.settings, { chatId: '-100123', topicId: 7 });
    await rejectsWith(
      catalog.call(CATALOG.channels.create, telegram({ name: created.name })),
      'conflict',
      'name',
    );
  });

  test('deliveries are recorded once per (report, channel, attempt), newest first', async () => {
    const channel = await catalog.call(CATALOG.channels.create, telegram());
    const attempt = (n: number, status: 'delivered' | 'failed') => ({
      reportKey: 'run:fixed',
      channelId: channel.id,
      attempt: n,
      event: 'run' as const,
      level: 'error' as const,
      status,
      subject: 'Backup failed',
      error: status === 'failed' ? 'HTTP 502' : null,
      durationMs: 12,
    });
    const first = await catalog.call(CATALOG.deliveries.record, attempt(1, 'failed'));
    assert.equal(first.created, true);
    const again = await catalog.call(CATALOG.deliveries.record, attempt(1, 'failed'));
    assert.deepEqual(again, { delivery: first.delivery, created: false });
    await catalog.call(CATALOG.deliveries.record, attempt(2, 'delivered'));
    const listed = await catalog.call(CATALOG.deliveries.list, { channelId: channel.id });
    assert.deepEqual(
      listed.map((delivery) => [delivery.attempt, delivery.status]),
      [
        [2, 'delivered'],
        [1, 'failed'],
      ],
    );
    await rejectsWith(
      catalog.call(CATALOG.deliveries.record, { ...attempt(1, 'failed'), channelId: randomUUID() }),
      'bad-request',
      'channelId',
    );
    // A channel's history goes with it.
    await catalog.call(CATALOG.channels.remove, { id: channel.id });
    assert.deepEqual(await catalog.call(CATALOG.deliveries.list, { channelId: channel.id }), []);
  });
});
