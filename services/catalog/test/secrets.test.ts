import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { CATALOG, RUNNER, serve } from '@cairn/contracts';
import { startCatalog, type TestCatalog } from './support/catalog.js';
import { query } from './support/database.js';
import { destinationInput, jobInput } from './support/fixtures.js';

/** Values that must never leave the catalog except through resolve. */
const SECRETS = {
  accessKeyId: 'AKIA-SECRET-ACCESS-KEY-ID-7f3a',
  secretAccessKey: 'wJalrXUtnFEMI-secret-access-key-9c1e',
  passphrase: 'passphrase-never-in-a-response-4d2b',
  rotated: 'rotated-passphrase-never-logged-8e5c',
};

describe('secrets at rest, in responses and in logs', () => {
  let catalog: TestCatalog;
  const responses: unknown[] = [];
  let destinationId: string;
  let jobId: string;

  before(async () => {
    catalog = await startCatalog('secrets');
    const record = <T>(response: T) => {
      responses.push(response);
      return response;
    };
    const destination = record(
      await catalog.call(
        CATALOG.destinations.create,
        destinationInput({
          secrets: { accessKeyId: SECRETS.accessKeyId, secretAccessKey: SECRETS.secretAccessKey },
        }),
      ),
    );
    destinationId = destination.id;
    const job = record(
      await catalog.call(CATALOG.jobs.create, jobInput(destinationId, { passphrase: SECRETS.passphrase })),
    );
    jobId = job.id;
    // A passphrase change asks a runner to re-key the repository first; this job has none yet.
    const runner = serve(catalog.nc, RUNNER.addKey, async () => ({ repository: 'absent' as const }), {
      queue: 'runner',
      logger: console,
    });
    record(await catalog.call(CATALOG.jobs.update, { id: jobId, patch: { passphrase: SECRETS.rotated } }));
    runner.unsubscribe();
    record(
      await catalog.call(CATALOG.destinations.update, {
        id: destinationId,
        patch: { secrets: { accessKeyId: SECRETS.accessKeyId } },
      }),
    );
    record(await catalog.call(CATALOG.destinations.get, { id: destinationId }));
    record(await catalog.call(CATALOG.destinations.list, {}));
    record(await catalog.call(CATALOG.jobs.get, { id: jobId }));
    record(await catalog.call(CATALOG.jobs.list, {}));
    record(
      await catalog.call(CATALOG.runs.create, { id: randomUUID(), jobId, kind: 'backup', trigger: 'manual' }),
    );
    // A rejected request that carries secrets must not echo them either.
    await catalog
      .call(CATALOG.destinations.create, destinationInput({ name: destination.name, secrets: SECRETS }))
      .catch((error: unknown) => record({ error: (error as Error).message }));
    await catalog
      .call(CATALOG.jobs.create, jobInput(randomUUID(), { passphrase: SECRETS.passphrase }))
      .catch((error: unknown) => record({ error: (error as Error).message }));
  });
  after(() => catalog?.stop());

  const assertNoSecret = (text: string, where: string) => {
    for (const [name, value] of Object.entries(SECRETS)) {
      assert.ok(!text.includes(value), `${where} contains the ${name}`);
    }
  };

  test('no response carries a secret, only whether it is set', () => {
    assert.ok(responses.length >= 10);
    assertNoSecret(JSON.stringify(responses), 'a response');
  });

  test('no log line carries a secret, even at trace level', () => {
    assert.ok(catalog.logs.lines.length > 5);
    assertNoSecret(catalog.logs.text, 'the log');
    assert.ok(!catalog.logs.text.includes(catalog.secretKey), 'the log contains CAIRN_SECRET_KEY');
  });

  test('the database holds them encrypted, each with its own nonce', async () => {
    const [destination] = await query<{ secrets: Record<string, string> }>(
      catalog.databaseUrl,
      'SELECT secrets FROM destinations WHERE id = $1',
      [destinationId],
    );
    const [job] = await query<{ passphrase: string }>(
      catalog.databaseUrl,
      'SELECT passphrase FROM jobs WHERE id = $1',
      [jobId],
    );
    const stored = JSON.stringify([destination, job]);
    assertNoSecret(stored, 'the database');
    assert.match(job!.passphrase, /^v1\./);
    assert.deepEqual(Object.keys(destination!.secrets).sort(), ['accessKeyId', 'secretAccessKey']);
    // Re-sealing the same value gives another ciphertext: a fresh nonce per value.
    await catalog.call(CATALOG.destinations.update, {
      id: destinationId,
      patch: { secrets: { accessKeyId: SECRETS.accessKeyId } },
    });
    const [resealed] = await query<{ secrets: Record<string, string> }>(
      catalog.databaseUrl,
      'SELECT secrets FROM destinations WHERE id = $1',
      [destinationId],
    );
    assert.notEqual(resealed!.secrets.accessKeyId, destination!.secrets.accessKeyId);
  });

  test('resolve returns them decrypted, for runners', async () => {
    const job = await catalog.call(CATALOG.jobs.resolve, { id: jobId });
    assert.equal(job.passphrase, SECRETS.rotated);
    assert.deepEqual(job.destination.secrets, {
      accessKeyId: SECRETS.accessKeyId,
      secretAccessKey: SECRETS.secretAccessKey,
    });
    const destination = await catalog.call(CATALOG.destinations.resolve, { id: destinationId });
    assert.deepEqual(destination.secrets, job.destination.secrets);
  });

  test('a sealed value moved to another row does not decrypt there', async () => {
    const other = await catalog.call(CATALOG.jobs.create, jobInput(destinationId));
    await query(
      catalog.databaseUrl,
      'UPDATE jobs SET passphrase = (SELECT passphrase FROM jobs WHERE id = $1) WHERE id = $2',
      [jobId, other.id],
    );
    await assert.rejects(catalog.call(CATALOG.jobs.resolve, { id: other.id }), /internal error/);
    assert.match(catalog.logs.text, /cannot decrypt the stored secret job:/);
  });
});
