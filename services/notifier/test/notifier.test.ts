import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NOTIFIER, request, type RunFinished } from '@cairn/contracts';
import { channel, job, runFinished } from './support/fixtures.js';
import { harness, type Harness } from './support/notifier-harness.js';
import { httpReceiver, smtpCapture } from './support/receivers.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

const BOT_TOKEN = '123456:TEST-BOT-TOKEN-never-logged';
const SMTP_PASSWORD = 'smtp-password-never-logged';
const HTTP_TOKEN = 'Bearer http-token-never-logged';

describe('notifier: run reports through real receivers', () => {
  let h: Harness;
  let smtp: Awaited<ReturnType<typeof smtpCapture>>;
  let http: Awaited<ReturnType<typeof httpReceiver>>;
  let telegram: Awaited<ReturnType<typeof httpReceiver>>;
  let notifier: { close(): Promise<void> };

  before(async () => {
    smtp = await smtpCapture({ user: 'cairn', pass: SMTP_PASSWORD });
    http = await httpReceiver();
    telegram = await httpReceiver({ answer: { ok: true, result: { message_id: 1 } } });
    h = await harness({ CAIRN_TELEGRAM_API_ROOT: telegram.url });
    notifier = await h.start();
  });
  after(async () => {
    await h?.stop();
    await Promise.all([smtp?.stop(), http?.stop(), telegram?.stop()]);
  });

  const email = (overrides = {}) =>
    h.addChannel(
      channel(
        'email',
        {
          url: smtp.url,
          username: 'cairn',
          from: 'cairn@nas.local',
          to: ['me@example.net'],
          requireTls: false,
        },
        { secrets: { password: SMTP_PASSWORD }, ...overrides },
      ),
    );

  test('each channel gets the levels it asked for; default channels serve jobs without their own', async () => {
    const mail = email({ levels: ['error', 'fatal'], default: true });
    const hook = h.addChannel(
      channel(
        'http',
        { url: `${http.url}/hook`, method: 'POST', format: 'json', headers: {} },
        { levels: ['success'], default: true, secrets: { Authorization: HTTP_TOKEN } },
      ),
    );
    const bot = h.addChannel(
      channel(
        'telegram',
        { chatId: '-100777', topicId: 42 },
        { default: true, secrets: { botToken: BOT_TOKEN } },
      ),
    );
    const photos = h.addJob(job());
    const ok = runFinished(photos.id);
    const failed = runFinished(photos.id, {
      status: 'failed',
      error: 'disk on fire',
      stats: { filesNew: 1 },
    });
    await h.publish(ok);
    await h.publish(failed);

    await eventually(() => {
      assert.equal(h.catalog.deliveriesOf(bot.id).length, 2);
      assert.equal(h.catalog.deliveriesOf(hook.id).length, 1);
      assert.equal(h.catalog.deliveriesOf(mail.id).length, 1);
    });
    // Delivered by mail: the failure only.
    assert.equal(smtp.mails.length, 1);
    assert.match(smtp.mails[0]!.subject!, /^❌ Photos \w+: backup failed$/);
    assert.match(smtp.mails[0]!.text!, /Error: disk on fire/);
    assert.equal(h.catalog.deliveriesOf(mail.id)[0]!.level, 'error');
    // By HTTP: the success only, with the full structured result and the secret header.
    const posted = http.requests.find((received) => received.path === '/hook')!;
    assert.equal(posted.headers.authorization, HTTP_TOKEN);
    assert.equal(posted.headers['user-agent'], 'Cairn/0.1.0');
    const body = JSON.parse(posted.body);
    assert.equal(body.run.id, ok.runId);
    assert.equal(body.level, 'success');
    assert.equal(body.stats.bytesAdded, 34_000_000);
    assert.equal(body.run.url, `https://cairn.example.net/runs/${ok.runId}`);
    assert.match(body.text, /Files: 12 new, 3 changed, 1024 unchanged/);
    // By Telegram: both, to the bot's path, chat and topic.
    assert.equal(telegram.requests.length, 2);
    for (const received of telegram.requests) {
      assert.equal(received.method, 'POST');
      assert.equal(received.path, `/bot${BOT_TOKEN}/sendMessage`);
      assert.equal(received.headers['user-agent'], 'Cairn/0.1.0');
      const payload = JSON.parse(received.body);
      assert.equal(payload.chat_id, '-100777');
      assert.equal(payload.message_thread_id, 42);
    }
    assert.ok(telegram.requests.some((received) => JSON.parse(received.body).text.includes('disk on fire')));
  });

  test('a run that could not start at all is fatal; a channel picked by the job replaces the defaults', async () => {
    const fatalOnly = email({ levels: ['fatal'] });
    const photos = h.addJob(job({ channelIds: [fatalOnly.id] }));
    const before = smtp.mails.length;
    const failed = (error: string, overrides: Partial<RunFinished>) =>
      runFinished(photos.id, { status: 'failed', error, ...overrides });
    await h.publish(failed('destination unreachable', { stats: {}, failedAtStart: true }));
    // The runner's word decides, not the stats: this one failed along the way, before it counted.
    await h.publish(failed('read error', { stats: {}, failedAtStart: false }));
    // Events of older runners, without the field, said "could not start" with empty stats.
    await h.publish(failed('disk full', { stats: { filesNew: 3 }, failedAtStart: undefined }));
    await h.publish(failed('wrong passphrase', { stats: {}, failedAtStart: undefined }));
    await eventually(() => assert.equal(h.catalog.deliveriesOf(fatalOnly.id).length, 2));
    assert.deepEqual(
      h.catalog.deliveriesOf(fatalOnly.id).map((delivery) => delivery.level),
      ['fatal', 'fatal'],
    );
    await eventually(() => assert.equal(smtp.mails.length, before + 2));
    const texts = smtp.mails.slice(before).map((mail) => mail.text!);
    assert.ok(texts.some((text) => text.includes('destination unreachable')));
    assert.ok(texts.some((text) => text.includes('wrong passphrase')));
    assert.ok(!texts.some((text) => /read error|disk full/.test(text)));
  });

  test('a backup the source guard stopped is reported as a warning that gives the reason', async () => {
    const mail = email({ levels: ['warning'] });
    const photos = h.addJob(job({ channelIds: [mail.id] }));
    const reason =
      'source /srv/photos is an empty folder (a share that is not mounted yet?): nothing backed up, retention and prune skipped';
    const before = smtp.mails.length;
    await h.publish(
      runFinished(photos.id, { status: 'warning', stats: {}, error: reason, logTail: [`WARN ${reason}`] }),
    );
    await eventually(() => assert.equal(smtp.mails.length, before + 1));
    const sent = smtp.mails.at(-1)!;
    assert.match(sent.subject!, /^⚠️ Photos \w+: backup finished with warnings$/);
    assert.ok(sent.text!.includes(`Warning: ${reason}`), sent.text);
    await eventually(() => assert.equal(h.catalog.deliveriesOf(mail.id)[0]?.level, 'warning'));
  });

  test('templates: {{path}} variables and Duplicati %VARIABLES% in subject and body', async () => {
    const templated = email({
      subjectTemplate: 'Duplicati %OPERATIONNAME% report for %backup-name%: %PARSEDRESULT%',
      bodyTemplate:
        '{{job.name}} {{run.status}} in {{run.duration}}; added {{stats.bytesAdded}} of {{stats.bytesRead}} read; {{unknown.path}}50% done %NOT-A-VARIABLE%\n%RESULT%',
    });
    const photos = h.addJob(job({ name: 'Family photos', channelIds: [templated.id] }));
    await h.publish(runFinished(photos.id, { status: 'warning' }));
    await eventually(() =>
      assert.ok(
        smtp.mails.some((mail) => mail.subject === 'Duplicati Backup report for Family photos: Warning'),
      ),
    );
    const mail = smtp.mails.find((candidate) => candidate.subject?.includes('Family photos'))!;
    const [first, ...rest] = mail.text!.trim().split('\n');
    assert.equal(
      first,
      'Family photos warning in 3 min 5 s; added 32.4 MiB of 1.40 GiB read; 50% done %NOT-A-VARIABLE%',
    );
    assert.match(rest.join('\n'), /Backup of "Family photos" finished with warnings after 3 min 5 s/);
  });

  test('a receiver that fails twice gets the report on the third attempt; every attempt is recorded, no secret', async () => {
    const flaky = await httpReceiver({ failFirst: 2 });
    try {
      const hook = h.addChannel(
        channel(
          'http',
          { url: flaky.url, method: 'PUT', format: 'form', headers: {} },
          { secrets: { 'X-Token': HTTP_TOKEN } },
        ),
      );
      const photos = h.addJob(job({ channelIds: [hook.id] }));
      await h.publish(runFinished(photos.id));
      await eventually(() => assert.equal(h.catalog.deliveriesOf(hook.id).at(-1)?.status, 'delivered'));
      const attempts = h.catalog.deliveriesOf(hook.id);
      assert.deepEqual(
        attempts.map((attempt) => [attempt.attempt, attempt.status]),
        [
          [1, 'failed'],
          [2, 'failed'],
          [3, 'delivered'],
        ],
      );
      assert.match(attempts[0]!.error!, /HTTP 502/);
      assert.equal(flaky.requests.length, 3);
      assert.equal(flaky.requests[2]!.method, 'PUT');
      assert.match(new URLSearchParams(flaky.requests[2]!.body).get('subject')!, /backup succeeded/);
      assert.ok(!JSON.stringify(h.catalog.state.deliveries).includes('never-logged'));
    } finally {
      await flaky.stop();
    }
  });

  test('a failing channel exhausts its attempts without holding up the others', async () => {
    const dead = h.addChannel(
      channel('http', { url: 'http://127.0.0.1:9/nothing', method: 'POST', format: 'json', headers: {} }),
    );
    const mail = email();
    const photos = h.addJob(job({ channelIds: [dead.id, mail.id] }));
    await h.publish(runFinished(photos.id));
    await eventually(() => assert.equal(h.catalog.deliveriesOf(dead.id).length, 5));
    assert.ok(h.catalog.deliveriesOf(dead.id).every((attempt) => attempt.status === 'failed'));
    // The mail went out at once, before the dead channel gave up.
    const [delivered] = h.catalog.deliveriesOf(mail.id);
    assert.equal(delivered!.status, 'delivered');
    assert.ok(delivered!.at < h.catalog.deliveriesOf(dead.id).at(-1)!.at);
  });

  test('notifier stopped and restarted between events: each report exactly once', async () => {
    const hook = await httpReceiver();
    try {
      const target = h.addChannel(
        channel('http', { url: hook.url, method: 'POST', format: 'json', headers: {} }),
      );
      const photos = h.addJob(job({ channelIds: [target.id] }));
      const first = runFinished(photos.id);
      await h.publish(first);
      await eventually(() => assert.equal(hook.requests.length, 1));
      await notifier.close();
      const second = runFinished(photos.id, { status: 'failed', stats: { filesNew: 1 } });
      await h.publish(second);
      // The same event again, as after a crash before its acknowledgement.
      await h.publish(first, { asNew: true });
      notifier = await h.start();
      await eventually(() => assert.equal(hook.requests.length, 2));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(hook.requests.length, 2);
      const runIds = hook.requests.map((received) => JSON.parse(received.body).run.id);
      assert.deepEqual(runIds, [first.runId, second.runId]);
    } finally {
      await hook.stop();
    }
  });

  test('test-send answers with the receiver verdict and is recorded', async () => {
    const bot = h.addChannel(channel('telegram', { chatId: '42' }, { secrets: { botToken: BOT_TOKEN } }));
    const sent = await request(h.nc, NOTIFIER.test, { channelId: bot.id });
    assert.equal(sent.ok, true);
    assert.match(JSON.parse(telegram.requests.at(-1)!.body).text, /Cairn test notification/);
    assert.equal(h.catalog.deliveriesOf(bot.id)[0]!.event, 'test');

    const broken = h.addChannel(
      channel('http', { url: 'http://127.0.0.1:9/', method: 'POST', format: 'json', headers: {} }),
    );
    const failed = await request(h.nc, NOTIFIER.test, { channelId: broken.id });
    assert.equal(failed.ok, false);
    assert.ok(failed.message.length > 0);
    assert.equal(h.catalog.deliveriesOf(broken.id).length, 1, 'a test send is tried once');
  });

  test('no secret in any log line, even at trace level', () => {
    assert.ok(h.logs.lines.length > 0);
    for (const secret of [BOT_TOKEN, SMTP_PASSWORD, HTTP_TOKEN])
      assert.ok(!h.logs.text.includes(secret), secret);
  });
});
