import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { backup, check, Repository, type Backend, type FileType } from '../src/index.js';
import {
  FAST_KDF,
  fsTree,
  PASSWORD,
  rejectsWithKind,
  restoredPath,
  restoreSnapshot,
  scratchDir,
} from './helpers.js';

/** Random bytes named by their SHA-256, like every repository file but config. */
export function namedBytes(length: number): { name: string; bytes: Buffer } {
  const bytes = randomBytes(length);
  return { name: createHash('sha256').update(bytes).digest('hex'), bytes };
}

/**
 * The Backend contract every destination must keep, run against a fresh location from `open`:
 * what is saved comes back byte for byte (whole and in ranges), missing files are `not-found`,
 * listings see exactly the saved files, removal is idempotent.
 */
export function backendContract(label: string, open: () => Promise<Backend>): void {
  describe(`${label}: backend contract`, () => {
    const withBackend = async (work: (backend: Backend) => Promise<void>) => {
      const backend = await open();
      try {
        await backend.create();
        await work(backend);
      } finally {
        await backend.close();
      }
    };

    test('saved files come back byte for byte, whole and in ranges', () =>
      withBackend(async (backend) => {
        const file = namedBytes(300_000);
        await backend.save('pack', file.name, file.bytes);
        assert.ok((await backend.load('pack', file.name)).equals(file.bytes));
        const range = await backend.load('pack', file.name, { offset: 123_456, length: 70_000 });
        assert.ok(range.equals(file.bytes.subarray(123_456, 193_456)));
        const tail = await backend.load('pack', file.name, { offset: 299_990, length: 10 });
        assert.ok(tail.equals(file.bytes.subarray(299_990)));
        assert.deepEqual(await backend.stat('pack', file.name), { name: file.name, size: 300_000 });
        const config = Buffer.from('{"version":1}\n');
        await backend.save('config', 'config', config);
        assert.ok((await backend.load('config', 'config')).equals(config));
        const empty = namedBytes(0);
        await backend.save('lock', empty.name, empty.bytes);
        assert.equal((await backend.load('lock', empty.name)).length, 0);
      }));

    test('a range past the end is corrupt, a missing file is not-found', () =>
      withBackend(async (backend) => {
        const file = namedBytes(1000);
        await backend.save('index', file.name, file.bytes);
        await rejectsWithKind(backend.load('index', file.name, { offset: 900, length: 200 }), 'corrupt');
        const missing = namedBytes(10).name;
        await rejectsWithKind(backend.load('index', missing), 'not-found');
        await rejectsWithKind(backend.load('pack', missing, { offset: 0, length: 5 }), 'not-found');
        await rejectsWithKind(backend.stat('snapshot', missing), 'not-found');
      }));

    test('list sees exactly the saved files of each type, with sizes; remove is idempotent', () =>
      withBackend(async (backend) => {
        const saved = new Map<FileType, { name: string; bytes: Buffer }[]>();
        for (const type of ['pack', 'index', 'snapshot', 'key', 'lock'] as const) {
          const files = [namedBytes(100), namedBytes(2000), namedBytes(1)];
          for (const file of files) await backend.save(type, file.name, file.bytes);
          saved.set(type, files);
        }
        for (const [type, files] of saved) {
          const listed = (await backend.list(type)).sort((a, b) => a.name.localeCompare(b.name));
          const expected = files
            .map((f) => ({ name: f.name, size: f.bytes.length }))
            .sort((a, b) => a.name.localeCompare(b.name));
          assert.deepEqual(listed, expected, `listing of ${type}`);
        }
        const [gone, kept] = saved.get('pack')!;
        await backend.remove('pack', gone!.name);
        await backend.remove('pack', gone!.name);
        await rejectsWithKind(backend.stat('pack', gone!.name), 'not-found');
        assert.deepEqual(
          (await backend.list('pack')).map((f) => f.name).sort(),
          [kept!.name, saved.get('pack')![2]!.name].sort(),
        );
      }));

    test('saving the same name again leaves one complete file', () =>
      withBackend(async (backend) => {
        const file = namedBytes(50_000);
        await backend.save('snapshot', file.name, file.bytes);
        await backend.save('snapshot', file.name, file.bytes);
        assert.deepEqual(await backend.list('snapshot'), [{ name: file.name, size: 50_000 }]);
        assert.ok((await backend.load('snapshot', file.name)).equals(file.bytes));
      }));
  });
}

/** init → backup → restore → byte-identical → check --read-data, on a repository at `backend`. */
export async function roundTrip(
  t: import('node:test').TestContext,
  backendFor: () => Backend,
  packSize: number,
): Promise<void> {
  const source = await scratchDir(t, 'remote-source');
  const target = await scratchDir(t, 'remote-target');
  await fsTree.buildSourceTree(source);
  const expected = await fsTree.describeTree(source);
  const created = await Repository.init(backendFor(), PASSWORD, { kdf: FAST_KDF, packSize });
  const result = await backup(created, { paths: [source] });
  assert.deepEqual(result.warnings, []);
  await created.close();

  const repo = await Repository.open(backendFor(), PASSWORD);
  try {
    await repo.loadIndex();
    await restoreSnapshot(repo, result.snapshotId, target);
    assert.deepEqual(await fsTree.describeTree(restoredPath(target, source)), expected);
    const checked = await check(repo, { readData: true });
    assert.deepEqual(checked.errors, []);
    assert.ok(checked.packsRead > 1, 'the backup spans several packs');
  } finally {
    await repo.close();
  }
}
