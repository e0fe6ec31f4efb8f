import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CATALOG } from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { destinationInput, jobInput, unique } from './support/fixtures.js';
import { rejectsWith } from './support/rejects-with.js';

describe('destinations over NATS', () => {
  let catalog: TestCatalog;
  before(async () => {
    catalog = await startCatalog('destinations');
  });
  after(() => catalog?.stop());

  test('create, get, list, update and remove', async () => {
    const input = destinationInput();
    const created = await catalog.call(CATALOG.destinations.create, input);
    assert.equal(created.name, input.name);
    assert.equal(created.url, input.url);
    assert.deepEqual(created.options, { region: 'eu-west-1' });
    assert.deepEqual(created.secrets, { accessKeyId: { set: true }, secretAccessKey: { set: true } });

    assert.deepEqual(await catalog.call(CATALOG.destinations.get, { id: created.id }), created);
    const listed = await catalog.call(CATALOG.destinations.list, {});
    assert.ok(listed.some((destination) => destination.id === created.id));

    // Only what the patch names changes; secrets merge by name and '' removes one.
    const updated = await catalog.call(CATALOG.destinations.update, {
      id: created.id,
      patch: {
        url: 's3://minio.local:9000/backups/other',
        secrets: { secretAccessKey: '', sessionToken: 'tok' },
      },
    });
    assert.equal(updated.name, input.name);
    assert.equal(updated.url, 's3://minio.local:9000/backups/other');
    assert.deepEqual(updated.options, { region: 'eu-west-1' });
    assert.deepEqual(updated.secrets, { accessKeyId: { set: true }, sessionToken: { set: true } });
    assert.ok(updated.updatedAt >= created.updatedAt);
    const resolved = await catalog.call(CATALOG.destinations.resolve, { id: created.id });
    assert.deepEqual(resolved.secrets, { accessKeyId: 'AKIA-TEST', sessionToken: 'tok' });

    assert.deepEqual(await catalog.call(CATALOG.destinations.remove, { id: created.id }), { removed: true });
    await rejectsWith(catalog.call(CATALOG.destinations.get, { id: created.id }), 'not-found');
  });

  test('a duplicate name is a conflict naming the field, on create and on rename', async () => {
    const first = await catalog.call(CATALOG.destinations.create, destinationInput());
    await rejectsWith(
      catalog.call(CATALOG.destinations.create, destinationInput({ name: first.name })),
      'conflict',
      'name',
    );
    const second = await catalog.call(CATALOG.destinations.create, destinationInput());
    await rejectsWith(
      catalog.call(CATALOG.destinations.update, { id: second.id, patch: { name: first.name } }),
      'conflict',
      'name',
    );
  });

  test('unknown ids are not-found for every call that takes one', async () => {
    const id = randomUUID();
    await rejectsWith(catalog.call(CATALOG.destinations.get, { id }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.destinations.update, { id, patch: { url: '/x' } }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.destinations.remove, { id }), 'not-found');
    await rejectsWith(catalog.call(CATALOG.destinations.resolve, { id }), 'not-found');
  });

  test('a destination still used by jobs cannot be removed, and the conflict names them', async () => {
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput());
    const photos = await catalog.call(
      CATALOG.jobs.create,
      jobInput(destination.id, { name: unique('Photos') }),
    );
    const mail = await catalog.call(CATALOG.jobs.create, jobInput(destination.id, { name: unique('Mail') }));
    const [first, second] = [mail.name, photos.name];
    const refused = await rejectsWith(
      catalog.call(CATALOG.destinations.remove, { id: destination.id }),
      'conflict',
    );
    assert.equal(
      refused.message,
      `"${destination.name}" is still used by "${first}" and "${second}": delete or move those jobs first`,
    );
    await catalog.call(CATALOG.jobs.remove, { id: photos.id });
    const stillUsed = await rejectsWith(
      catalog.call(CATALOG.destinations.remove, { id: destination.id }),
      'conflict',
    );
    assert.match(stillUsed.message, new RegExp(`used by "${first}": delete or move that job first$`));
    await catalog.call(CATALOG.jobs.remove, { id: mail.id });
    assert.deepEqual(await catalog.call(CATALOG.destinations.remove, { id: destination.id }), {
      removed: true,
    });
  });

  test('rename and new keys keep the id, so the jobs using it resolve the new keys', async () => {
    const url = `s3://minio.local:9000/backups/${unique('rotated')}`;
    const destination = await catalog.call(CATALOG.destinations.create, destinationInput({ url }));
    const job = await catalog.call(CATALOG.jobs.create, jobInput(destination.id));
    const renamed = await catalog.call(CATALOG.destinations.update, {
      id: destination.id,
      patch: {
        name: unique('Renamed'),
        secrets: { accessKeyId: 'AKIA-ROTATED', secretAccessKey: 'new-secret' },
      },
    });
    assert.equal(renamed.id, destination.id);
    assert.deepEqual(renamed.secrets, { accessKeyId: { set: true }, secretAccessKey: { set: true } });
    assert.equal(JSON.stringify(renamed).includes('new-secret'), false);
    const listed = await catalog.call(CATALOG.destinations.list, {});
    assert.equal(listed.filter((each) => each.url === url && each.id !== destination.id).length, 0);
    const resolved = await catalog.call(CATALOG.jobs.resolve, { id: job.id });
    assert.ok(resolved.destination.url.startsWith(`${url}/`), resolved.destination.url);
    assert.deepEqual(resolved.destination.secrets, {
      accessKeyId: 'AKIA-ROTATED',
      secretAccessKey: 'new-secret',
    });
  });

  test('invalid input is a bad-request naming the field, also when it bypasses the client', async () => {
    const raw = await catalog.nc.request(
      CATALOG.destinations.create.subject,
      JSON.stringify({ name: unique('d'), url: '' }),
    );
    const reply = raw.json<{ ok: boolean; error: { code: string; field: string } }>();
    assert.deepEqual([reply.ok, reply.error.code, reply.error.field], [false, 'bad-request', 'url']);
  });
});
