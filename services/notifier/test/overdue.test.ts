import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { channel, job, runFinished } from './support/fixtures.js';
import { harness, type Harness } from './support/notifier-harness.js';
import { httpReceiver } from './support/receivers.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

let h: Harness;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
before(async () => {
  hook = await httpReceiver();
  h = await harness({ CAIRN_NOTIFIER_OVERDUE_CHECK_MS: '100' });
});
after(async () => {
  await h?.stop();
  await hook?.stop();
});

test('a job past its threshold is reported overdue once, and recovered once after its next success', async () => {
  const errors = h.addChannel(
    channel('http', { url: hook.url, method: 'POST', format: 'json', headers: {} }, { levels: ['error'] }),
  );
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString();
  const photos = h.addJob(job({ channelIds: [errors.id], overdueAfterMinutes: 60, createdAt: twoHoursAgo }));
  // Hourly schedule, last success three hours ago: twice the interval has passed.
  const hourly = h.addJob(
    job({
      channelIds: [errors.id],
      schedule: { cron: '0 * * * *', timezone: 'UTC' },
      createdAt: twoHoursAgo,
    }),
  );
  const fresh = h.addJob(job({ channelIds: [errors.id], overdueAfterMinutes: 600, createdAt: twoHoursAgo }));
  const notifier = await h.start();
  try {
    await eventually(() => assert.equal(hook.requests.length, 2));
    // Several checks later, still one report per job.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const bodies = hook.requests.map((received) => JSON.parse(received.body));
    assert.deepEqual(
      bodies.map((body) => body.event),
      ['overdue', 'overdue'],
    );
    assert.deepEqual(new Set(bodies.map((body) => body.job.id)), new Set([photos.id, hourly.id]));
    assert.ok(bodies.every((body) => body.level === 'error' && body.subject.startsWith('⏰')));
    assert.ok(!bodies.some((body) => body.job.id === fresh.id));

    h.catalog.state.runs.set(photos.id, [
      {
        id: randomUUID(),
        jobId: photos.id,
        kind: 'backup',
        status: 'succeeded',
        trigger: 'schedule',
        queuedAt: new Date().toISOString(),
        startedAt: new Date().toISOString(),
        finishedAt: new Date().toISOString(),
        stats: null,
        error: null,
      },
    ]);
    await h.publish(runFinished(photos.id, { finishedAt: new Date().toISOString() }));
    await eventually(() => assert.equal(hook.requests.length, 3));
    const recovered = JSON.parse(hook.requests[2]!.body);
    assert.equal(recovered.event, 'recovered');
    assert.equal(recovered.job.id, photos.id);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(hook.requests.length, 3, 'recovered once, and not overdue again');
  } finally {
    await notifier.close();
  }
});
