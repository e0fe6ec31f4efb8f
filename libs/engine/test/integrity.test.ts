import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { filePath, type FileType } from '../src/backends/backend.js';
import { addKey, backup, check, LocalBackend, Repository, type CheckResult } from '../src/index.js';
import { loadKeyFile } from '../src/repository/key-store.js';
import {
  FAST_KDF,
  fsTree,
  initRepo,
  openRepo,
  PASSWORD,
  rejectsWithKind,
  restoreSnapshot,
  scratchDir,
} from './helpers.js';

const SECOND_PASSWORD = 'a second password';

interface StoredFile {
  rel: string;
  name: string;
}

/** A small repository with one snapshot, two passwords, and a data pack and a tree pack. */
describe('tampering with a repository', () => {
  let root: string;
  let repoPath: string;
  let snapshotId: string;
  const files = {} as Record<
    'firstKey' | 'secondKey' | 'index' | 'snapshot' | 'dataPack' | 'treePack',
    StoredFile
  >;

  before(async () => {
    root = await fsTree.makeTempDir('integrity');
    repoPath = join(root, 'repo');
    const source = join(root, 'source');
    await fs.mkdir(join(source, 'sub'), { recursive: true });
    await fs.writeFile(join(source, 'a.txt'), 'some text\n'.repeat(50));
    await fs.writeFile(join(source, 'b.bin'), fsTree.pseudoRandomBytes(200_000, 'integrity'));
    await fs.writeFile(join(source, 'sub', 'c.txt'), 'more text\n');

    const repo = await initRepo(repoPath);
    const secondKey = await addKey(repo, SECOND_PASSWORD, FAST_KDF);
    snapshotId = (await backup(repo, { paths: [source] })).snapshotId;
    const stored = (type: FileType, name: string): StoredFile => ({ rel: filePath(type, name), name });
    files.firstKey = stored('key', repo.keyName);
    files.secondKey = stored('key', secondKey);
    const [index, ...moreIndexes] = await repo.backend.list('index');
    assert.equal(moreIndexes.length, 0);
    files.index = stored('index', index!.name);
    files.snapshot = stored('snapshot', snapshotId);
    for (const [, location] of repo.index.entries()) {
      files[location.type === 'data' ? 'dataPack' : 'treePack'] = stored('pack', location.packId);
    }
    assert.notEqual(files.dataPack.name, files.treePack.name, 'data and trees go to separate packs');
  });
  after(() => fsTree.removeDir(root));

  async function checkFresh(): Promise<CheckResult> {
    const repo = await openRepo(repoPath, SECOND_PASSWORD);
    return check(repo, { readData: true });
  }

  /** Flips each byte at `offsets` in turn, and restores it after `detect` has seen it. */
  async function eachFlip(
    file: StoredFile,
    offsets: Iterable<number>,
    detect: (offset: number) => Promise<void>,
  ): Promise<void> {
    const path = join(repoPath, file.rel);
    for (const offset of offsets) {
      await fsTree.flipByte(path, offset);
      try {
        await detect(offset);
      } finally {
        await fsTree.flipByte(path, offset);
      }
    }
  }

  async function assertCheckNames(file: StoredFile, offset: number): Promise<void> {
    const { errors } = await checkFresh();
    const named = errors.some((e) => e.file === file.rel || e.message.includes(file.name));
    assert.ok(named, `flipping byte ${offset} of ${file.rel} was not reported: ${JSON.stringify(errors)}`);
  }

  async function sizeOf(file: StoredFile): Promise<number> {
    return (await fs.stat(join(repoPath, file.rel))).size;
  }

  const everyByte = (size: number) => Array.from({ length: size }, (_, i) => i);

  /** Both ends, nonce and tag, header and its length, and a spread through the blobs. */
  const sample = (size: number, headerStart: number) =>
    [
      ...new Set([
        0,
        12,
        28,
        ...Array.from({ length: 6 }, (_, i) => Math.floor(((i + 0.5) * headerStart) / 6)),
        ...[headerStart, headerStart + 20, size - 5, size - 4, size - 1],
      ]),
    ].filter((o) => o < size);

  async function headerStart(file: StoredFile): Promise<number> {
    const bytes = await fs.readFile(join(repoPath, file.rel));
    return bytes.length - 4 - bytes.readUInt32LE(bytes.length - 4);
  }

  test('the untouched repository checks clean', async () => {
    const result = await checkFresh();
    assert.deepEqual(result.errors, []);
    assert.equal(result.packsRead, 2);
    assert.equal(result.snapshots, 1);
  });

  // Every byte, JSON fields outside the encrypted payload included, must be covered by the file's
  // name (its SHA-256): the loader each reader uses refuses every single-byte change.
  const loaders: Record<
    'index' | 'snapshot' | 'firstKey',
    (repo: Repository, name: string) => Promise<unknown>
  > = {
    index: (repo, name) => repo.loadIndexFile(name),
    snapshot: (repo, name) => repo.loadJson('snapshot', name),
    firstKey: (repo, name) => loadKeyFile(repo.backend, name),
  };
  for (const [which, load] of Object.entries(loaders) as [
    keyof typeof loaders,
    (typeof loaders)[keyof typeof loaders],
  ][]) {
    test(`flipping any byte of the ${which} file is detected, and check names the file`, async () => {
      const file = files[which];
      const repo = await openRepo(repoPath, SECOND_PASSWORD);
      const size = await sizeOf(file);
      assert.ok(size > 100);
      await eachFlip(file, everyByte(size), (offset) =>
        rejectsWithKind(load(repo, file.name), 'corrupt').then((error) =>
          assert.match(error.message, new RegExp(file.name), `byte ${offset}`),
        ),
      );
      // A check per position costs a worker pool start: the nonce, the ciphertext, the tag, both ends.
      const positions = [0, 12, size >> 1, size - 17, size - 1];
      await eachFlip(file, positions, (offset) => assertCheckNames(file, offset));
    });
  }

  for (const which of ['dataPack', 'treePack'] as const) {
    test(`flipping bytes of the ${which} (blobs, header, length) is reported by check --read-data`, async () => {
      const file = files[which];
      await eachFlip(file, sample(await sizeOf(file), await headerStart(file)), (offset) =>
        assertCheckNames(file, offset),
      );
    });
  }

  test('a damaged key file of the password given is named when opening fails', async () => {
    const path = join(repoPath, files.secondKey.rel);
    for (const offset of [0, 10, (await sizeOf(files.secondKey)) - 2]) {
      await fsTree.flipByte(path, offset);
      try {
        const error = await rejectsWithKind(openRepo(repoPath, SECOND_PASSWORD), 'corrupt');
        assert.match(error.message, new RegExp(files.secondKey.name));
      } finally {
        await fsTree.flipByte(path, offset);
      }
    }
  });

  test('a truncated or missing pack is reported even without reading data', async () => {
    const path = join(repoPath, files.dataPack.rel);
    const original = await fs.readFile(path);
    try {
      await fs.writeFile(path, original.subarray(0, original.length >> 1));
      let { errors } = await check(await openRepo(repoPath));
      assert.ok(
        errors.some((e) => e.file === files.dataPack.rel && /truncated/.test(e.message)),
        JSON.stringify(errors),
      );
      await fs.rm(path);
      ({ errors } = await check(await openRepo(repoPath)));
      assert.ok(
        errors.some((e) => e.file === files.dataPack.rel && /missing/.test(e.message)),
        JSON.stringify(errors),
      );
      // The snapshot's files that lived in the pack are reported too.
      assert.ok(
        errors.some((e) => /b\.bin/.test(e.message)),
        JSON.stringify(errors),
      );
    } finally {
      await fs.writeFile(path, original);
    }
  });

  test('damaged data or trees are never restored silently', async (t) => {
    const repo = await openRepo(repoPath);
    await repo.loadIndex();
    const blobStarts = [...repo.index.entries()].map(([, location]) => location);
    for (const location of blobStarts) {
      const path = join(repoPath, filePath('pack', location.packId));
      const offset = location.offset + Math.floor(location.length / 2);
      await fsTree.flipByte(path, offset);
      try {
        const target = await scratchDir(t, 'integrity-restore');
        await rejectsWithKind(restoreSnapshot(await openRepo(repoPath), snapshotId, target), 'corrupt');
      } finally {
        await fsTree.flipByte(path, offset);
      }
    }
  });
});

describe('opening a repository', () => {
  test('a wrong password is a wrong-password error', async (t) => {
    const path = join(await scratchDir(t, 'open'), 'repo');
    await initRepo(path);
    await rejectsWithKind(openRepo(path, 'not the password'), 'wrong-password');
    await rejectsWithKind(openRepo(path, ''), 'wrong-password');
    assert.ok(await openRepo(path));
  });

  test('an empty or missing folder is repository-not-found', async (t) => {
    const dir = await scratchDir(t, 'open');
    await rejectsWithKind(openRepo(dir), 'repository-not-found');
    await rejectsWithKind(openRepo(join(dir, 'does-not-exist')), 'repository-not-found');
  });

  test('init over an existing repository is repository-exists and leaves it intact', async (t) => {
    const path = join(await scratchDir(t, 'open'), 'repo');
    await initRepo(path);
    const keysBefore = await fs.readdir(join(path, 'keys'));
    await rejectsWithKind(
      Repository.init(new LocalBackend(path), 'other', { kdf: FAST_KDF }),
      'repository-exists',
    );
    assert.deepEqual(await fs.readdir(join(path, 'keys')), keysBefore);
    assert.ok(await openRepo(path, PASSWORD));
  });
});
