import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  CATALOG,
  defaultRepositoryPath,
  HandlerError,
  JobInput,
  RUNNER,
  serve,
  repositoryUrl,
  SchedulesChanged,
  SUBJECTS,
  type Destination,
} from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { destinationInput, jobInput } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';
const { eventually } = (await import(
  fileURLToPath(new URL('../../../../test/support/eventually.mjs', import.meta.url))
)) as typeof import('../../../test/support/eventually.mjs');

describe('jobs over NATS', () => {
  let catalog: TestCatalog;
  let destination: Destination;
  before(async () => {
    catalog = await startCatalog('jobs');
    destination = await catalog.call(CATALOG.destinations.create, destinationInput());
  });
  after(() => catalog?.stop());

  test('create, get, list, update and remove', async () => {
    const input = jobInput(destination.id);
    const created = await catalog.call(CATALOG.jobs.create, input);
    const { passphrase: _passphrase, ...fields } = input;
    const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...stored } = created;
    assert.deepEqual(stored, {
      ...fields,
      repositoryPath: defaultRepositoryPath(input.name),
      passphrase: { set: true },
      // Reports through the default channels; overdue after twice the schedule's interval.
      channelIds: [],
      overdueAfterMinutes: null,
    });
    assert.deepEqual(await catalog.call(CATALOG.jobs.get, { id: created.id }), created);
    assert.ok((await catalog.call(CATALOG.jobs.list, {})).some((job) => job.id === created.id));

    // A patch changes what it names and nothing else (no defaults sneak back in).
    const paused = await catalog.call(CATALOG.jobs.update, { id: created.id, patch: { enabled: false } });
    assert.deepEqual({ ...paused, enabled: true, updatedAt: created.updatedAt }, created);
    const unscheduled = await catalog.call(CATALOG.jobs.update, {
      id: created.id,
      patch: {
        schedule: null,
        verifySchedule: { cron: '0 4 * * 0', timezone: 'Europe/Berlin' },
        compression: 'max',
        packSizeMiB: 64,
        minSourceFilesPercent: 10,
        limits: { uploadKiBps: 512 },
      },
    });
    assert.deepEqual((await catalog.call(CATALOG.jobs.get, { id: created.id })).limits, {
      uploadKiBps: 512,
    });
    assert.deepEqual(
      (await catalog.call(CATALOG.jobs.get, { id: created.id })).verifySchedule,
      { cron: '0 4 * * 0', timezone: 'Europe/Berlin' },
      'the verify schedule is kept apart from the backup schedule',
    );
    assert.deepEqual(
      [
        unscheduled.schedule,
        unscheduled.compression,
        unscheduled.packSizeMiB,
        unscheduled.minSourceFilesPercent,
        unscheduled.retention,
      ],
      [null, 'max', 64, 10, input.retention],
    );

    assert.deepEqual(await catalog.call(CATALOG.jobs.remove, { id: created.id }), { removed: true });
    await rejectsWith(catalog.call(CATALOG.jobs.get, { id: created.id }), 'not-found');
  });

  test('the source guard threshold defaults to 50 % and must lie between 0 and 100', async () => {
    const { minSourceFilesPercent: _default, ...input } = jobInput(destination.id);
    assert.equal((await catalog.call(CATALOG.jobs.create, input)).minSourceFilesPercent, 50);
    for (const minSourceFilesPercent of [-1, 101, 12.5]) {
      assert.equal(JobInput.safeParse({ ...input, minSourceFilesPercent }).success, false);
    }
  });

  test('a new passphrase is saved between the runner adding its key and removing the old one, or refused', async () => {
    const job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    const old = (await catalog.call(CATALOG.jobs.resolve, { id: job.id })).passphrase;
    const change = (passphrase: string) =>
      catalog.call(CATALOG.jobs.update, { id: job.id, patch: { passphrase } });
    const stored = async () => (await catalog.call(CATALOG.jobs.resolve, { id: job.id })).passphrase;

    // No runner answers: refused, the old passphrase stays.
    const unanswered = await rejectsWith(change('passphrase never saved'), 'conflict', 'passphrase');
    assert.match(unanswered.message, /^passphrase: not changed: no runner answered/);
    assert.equal(await stored(), old);

    // A stand-in for the runner (tested with the real one in test/e2e) records what it was asked when.
    const steps: string[] = [];
    let refuse = false;
    const options = { queue: 'runner', logger: console };
    const runner = [
      serve(
        catalog.nc,
        RUNNER.addKey,
        async (request) => {
          if (refuse)
            throw new HandlerError('conflict', "the job's current passphrase no longer opens its repository");
          steps.push(
            `add ${request.newPassphrase} opening with ${request.passphrase}; catalog has ${await stored()}`,
          );
          return { repository: 'keyed' as const, oldKey: 'old-key' };
        },
        options,
      ),
      serve(
        catalog.nc,
        RUNNER.removeKey,
        async (request) => {
          steps.push(
            `remove ${request.key} opening with ${request.passphrase}; catalog has ${await stored()}`,
          );
          return { removed: request.key };
        },
        options,
      ),
    ];
    try {
      await change('the new passphrase');
      assert.deepEqual(steps, [
        `add the new passphrase opening with ${old}; catalog has ${old}`,
        'remove old-key opening with the new passphrase; catalog has the new passphrase',
      ]);
      refuse = true;
      const refused = await rejectsWith(change('another passphrase'), 'conflict', 'passphrase');
      assert.equal(
        refused.message,
        "passphrase: not changed: the job's current passphrase no longer opens its repository",
      );
      assert.equal(await stored(), 'the new passphrase');
    } finally {
      for (const subscription of runner) subscription.unsubscribe();
    }
  });

  test('resolve gives runners the passphrase and the destination with its secrets', async () => {
    const job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    const resolved = await catalog.call(CATALOG.jobs.resolve, { id: job.id });
    assert.equal(resolved.passphrase, 'correct horse battery staple');
    assert.deepEqual(resolved.destination, {
      url: repositoryUrl(destination.url, job.repositoryPath),
      options: destination.options,
      secrets: { accessKeyId: 'AKIA-TEST', secretAccessKey: 'not-a-real-secret' },
    });
    assert.equal(resolved.name, job.name);
  });

  test('each job has a repository of its own under its destination; a second job there is a conflict', async () => {
    const first = await catalog.call(CATALOG.jobs.create, {
      ...jobInput(destination.id),
      name: 'Photos – Ünïcode & more!',
    });
    assert.equal(first.repositoryPath, 'photos-unicode-more');
    const clash = { ...jobInput(destination.id), repositoryPath: first.repositoryPath };
    await rejectsWith(catalog.call(CATALOG.jobs.create, clash), 'conflict', 'repositoryPath');
    const beside = await catalog.call(CATALOG.jobs.create, { ...clash, repositoryPath: 'photos/second' });
    assert.equal(
      (await catalog.call(CATALOG.jobs.resolve, { id: beside.id })).destination.url,
      `${destination.url}/photos/second`,
    );
  });

  test('a job without passphrase is a bad-request naming passphrase', async () => {
    await rejectsWith(
      catalog.call(CATALOG.jobs.create, jobInput(destination.id, { passphrase: undefined })),
      'bad-request',
      'passphrase',
    );
  });

  test('an unknown destination is a bad-request naming destinationId, on create and on update', async () => {
    await rejectsWith(
      catalog.call(CATALOG.jobs.create, jobInput(randomUUID())),
      'bad-request',
      'destinationId',
    );
    const job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    await rejectsWith(
      catalog.call(CATALOG.jobs.update, { id: job.id, patch: { destinationId: randomUUID() } }),
      'bad-request',
      'destinationId',
    );
  });

  test('a duplicate name is a conflict naming the field', async () => {
    const first = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    await rejectsWith(
      catalog.call(CATALOG.jobs.create, jobInput(destination.id, { name: first.name })),
      'conflict',
      'name',
    );
    const second = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    await rejectsWith(
      catalog.call(CATALOG.jobs.update, { id: second.id, patch: { name: first.name } }),
      'conflict',
      'name',
    );
  });

  test('unknown ids are not-found', async () => {
    const id = randomUUID();
    await rejectsWith(catalog.call(CATALOG.jobs.get, { id }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.jobs.update, { id, patch: { enabled: false } }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.jobs.remove, { id }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.jobs.resolve, { id }), 'not-found');
  });

  test('every create, update and remove tells the schedulers', async () => {
    const notices: SchedulesChanged[] = [];
    const subscription = catalog.nc.subscribe(SUBJECTS.schedulesChanged, {
      callback: (_error, message) => {
        notices.push(SchedulesChanged.parse(message.json()));
      },
    });
    await catalog.nc.flush();
    const job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    await catalog.call(CATALOG.jobs.update, { id: job.id, patch: { schedule: { cron: '0 * * * *' } } });
    await catalog.call(CATALOG.jobs.remove, { id: job.id });
    await eventually(async () =>
      assert.deepEqual(notices, [
        { jobId: job.id, change: 'created' },
        { jobId: job.id, change: 'updated' },
        { jobId: job.id, change: 'removed' },
      ]),
    );
    subscription.unsubscribe();
  });
});
