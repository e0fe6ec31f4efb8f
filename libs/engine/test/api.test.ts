import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  backup,
  check,
  findSnapshot,
  listSnapshots,
  LocalBackend,
  Repository,
  repositoryStats,
  restore,
  snapshotStats,
  type BackupProgress,
  type FileType,
  type RestoreProgress,
} from '../src/index.js';
import {
  fsTree,
  initRepo,
  openRepo,
  PASSWORD,
  rejectsWithKind,
  restoredPath,
  restoreSnapshot,
  scratchDir,
} from './helpers.js';

/** A source folder of `count` files of `size` random bytes, and the repository path next to it. */
async function workspace(
  t: TestContext,
  count: number,
  size: number,
): Promise<{ dir: string; source: string; repoPath: string }> {
  const dir = await scratchDir(t, 'api');
  const source = join(dir, 'source');
  await fs.mkdir(join(source, 'sub'), { recursive: true });
  for (let i = 0; i < count; i++) {
    await fs.writeFile(join(source, i % 2 ? 'sub' : '', `f${i}`), fsTree.pseudoRandomBytes(size, `api-${i}`));
  }
  return { dir, source, repoPath: join(dir, 'repo') };
}

describe('snapshots', () => {
  test('are listed oldest first and found by latest, full id or a unique prefix of 8+ digits', async (t) => {
    const { source, repoPath } = await workspace(t, 2, 100);
    const repo = await initRepo(repoPath);
    const newer = await backup(repo, {
      paths: [source],
      time: new Date('2024-05-01T00:00:00Z'),
      tags: ['daily'],
      host: 'h1',
    });
    const older = await backup(repo, { paths: [source], time: new Date('2023-05-01T00:00:00Z'), host: 'h2' });
    assert.deepEqual(
      (await listSnapshots(repo)).map((s) => s.id),
      [older.snapshotId, newer.snapshotId],
    );

    const latest = await findSnapshot(repo, 'latest');
    assert.equal(latest.id, newer.snapshotId);
    assert.deepEqual(
      [latest.host, latest.tags, latest.paths, latest.time],
      ['h1', ['daily'], [source], '2024-05-01T00:00:00.000Z'],
    );
    assert.equal((await findSnapshot(repo, older.snapshotId)).id, older.snapshotId);
    assert.equal((await findSnapshot(repo, older.snapshotId.slice(0, 8))).id, older.snapshotId);
    await rejectsWithKind(findSnapshot(repo, older.snapshotId.slice(0, 7)), 'usage');
    await rejectsWithKind(findSnapshot(repo, 'not-hex!'), 'usage');
    const unknown = older.snapshotId.startsWith('0') ? '11111111' : '00000000';
    if (!newer.snapshotId.startsWith(unknown))
      await rejectsWithKind(findSnapshot(repo, unknown), 'not-found');
  });

  test('the parent is the newest snapshot of the same host and paths', async (t) => {
    const { source, repoPath } = await workspace(t, 2, 100);
    const repo = await initRepo(repoPath);
    const first = await backup(repo, { paths: [source], host: 'h1' });
    assert.equal(first.snapshot.parent, undefined);
    await backup(repo, { paths: [source], host: 'h2' });
    await backup(repo, { paths: [join(source, 'sub')], host: 'h1' });
    const next = await backup(repo, { paths: [source], host: 'h1' });
    assert.equal(next.snapshot.parent, first.snapshotId);
    assert.equal(next.snapshot.summary!.filesUnmodified, 2);
  });

  test('an empty repository has no latest snapshot', async (t) => {
    const { repoPath } = await workspace(t, 0, 0);
    await rejectsWithKind(findSnapshot(await initRepo(repoPath), 'latest'), 'not-found');
  });
});

describe('backup paths', () => {
  test('a path inside another one is backed up once, under the outer one', async (t) => {
    const { source, repoPath } = await workspace(t, 4, 1000);
    const { snapshot } = await backup(await initRepo(repoPath), {
      paths: [join(source, 'sub'), source, `${source}/`],
    });
    assert.deepEqual(snapshot.paths, [source]);
    assert.equal(snapshot.summary!.filesNew, 4);
  });

  test('a missing path is a usage error and writes no snapshot', async (t) => {
    const { dir, source, repoPath } = await workspace(t, 1, 10);
    const repo = await initRepo(repoPath);
    await rejectsWithKind(backup(repo, { paths: [source, join(dir, 'missing')] }), 'usage');
    await rejectsWithKind(backup(repo, { paths: [] }), 'usage');
    assert.deepEqual(await repo.backend.list('snapshot'), []);
  });

  test('a repository inside the source is refused unless it is excluded', async (t) => {
    const { source } = await workspace(t, 2, 10);
    const repoPath = join(source, 'repo');
    const repo = await initRepo(repoPath);
    const refused = await rejectsWithKind(backup(repo, { paths: [source] }), 'usage');
    assert.match(refused.message, /inside the backup source/);

    const { snapshotId } = await backup(repo, { paths: [source], excludes: [repoPath] });
    const target = join(source, '..', 'target');
    await restoreSnapshot(repo, snapshotId, target);
    assert.deepEqual((await fs.readdir(restoredPath(target, source))).sort(), ['f0', 'sub']);
  });

  test('excludes match names anywhere and absolute paths', async (t) => {
    const { source, repoPath, dir } = await workspace(t, 6, 10);
    await fs.writeFile(join(source, 'sub', 'cache.tmp'), 'x');
    await fs.writeFile(join(source, 'keep.tmp.txt'), 'x');
    const repo = await initRepo(repoPath);
    const { snapshotId, snapshot } = await backup(repo, {
      paths: [source],
      excludes: ['*.tmp', join(source, 'f4')],
    });
    assert.deepEqual(snapshot.excludes, ['*.tmp', join(source, 'f4')]);
    await restoreSnapshot(repo, snapshotId, join(dir, 'target'));
    const restored = await fsTree.describeTree(restoredPath(join(dir, 'target'), source));
    assert.deepEqual(Object.keys(restored).sort(), [
      '.',
      'f0',
      'f2',
      'keep.tmp.txt',
      'sub',
      'sub/f1',
      'sub/f3',
      'sub/f5',
    ]);
  });
});

describe('progress', () => {
  test('backup, restore and check report progress that ends at the totals', async (t) => {
    const count = 40;
    const size = 20_000;
    const { dir, source, repoPath } = await workspace(t, count, size);
    const repo = await initRepo(repoPath);
    const backups: BackupProgress[] = [];
    const { snapshotId } = await backup(repo, {
      paths: [source],
      onProgress: (p) => backups.push(p),
      progressIntervalMs: 1,
    });
    const lastBackup = backups.at(-1)!;
    assert.deepEqual(
      [lastBackup.filesDone, lastBackup.bytesDone, lastBackup.filesTotal, lastBackup.bytesTotal],
      [count, count * size, count, count * size],
    );
    assert.ok(
      backups.every((p, i) => i === 0 || p.bytesDone >= backups[i - 1]!.bytesDone),
      'progress never goes back',
    );

    const restores: RestoreProgress[] = [];
    await restore(repo, await findSnapshot(repo, snapshotId), {
      target: join(dir, 'target'),
      onProgress: (p) => restores.push(p),
      progressIntervalMs: 1,
    });
    const lastRestore = restores.at(-1)!;
    assert.deepEqual(
      [lastRestore.filesDone, lastRestore.bytesDone, lastRestore.filesTotal, lastRestore.bytesTotal],
      [count, count * size, count, count * size],
    );

    const checks: { done: number; total: number }[] = [];
    const result = await check(repo, { readData: true, onProgress: (p) => checks.push(p) });
    assert.equal(checks.at(-1)!.done, result.packsRead);
    assert.equal(checks.at(-1)!.total, result.packsRead);
  });
});

describe('cancellation', () => {
  /** A local backend that aborts `controller` when the first pack of the backup is stored. */
  class AbortingBackend extends LocalBackend {
    constructor(
      location: string,
      private readonly controller: AbortController,
    ) {
      super(location);
    }
    override async save(type: FileType, name: string, data: Buffer): Promise<void> {
      await super.save(type, name, data);
      if (type === 'pack') this.controller.abort();
    }
  }

  test('an aborted backup stops, writes no snapshot, releases its lock, and the next one completes', async (t) => {
    const { dir, source, repoPath } = await workspace(t, 200, 64 * 1024);
    await initRepo(repoPath);
    const controller = new AbortController();
    const repo = await openRepo(repoPath);
    const interrupted = await Repository.open(new AbortingBackend(repoPath, controller), PASSWORD, {
      packSize: 256 * 1024,
    });
    await rejectsWithKind(backup(interrupted, { paths: [source], signal: controller.signal }), 'cancelled');
    assert.deepEqual(await repo.backend.list('snapshot'), []);
    assert.deepEqual(await repo.backend.list('lock'), []);
    assert.deepEqual((await check(await openRepo(repoPath), { readData: true })).errors, []);

    const { snapshotId } = await backup(await openRepo(repoPath), { paths: [source] });
    assert.deepEqual((await check(await openRepo(repoPath), { readData: true })).errors, []);
    await restoreSnapshot(await openRepo(repoPath), snapshotId, join(dir, 'target'));
    assert.deepEqual(
      await fsTree.describeTree(restoredPath(join(dir, 'target'), source)),
      await fsTree.describeTree(source),
    );
  });

  test('a cancel in the middle of one big file stops storing it at once', async (t) => {
    const { dir, repoPath } = await workspace(t, 0, 0);
    const source = join(dir, 'big');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'video.bin'), fsTree.pseudoRandomBytes(64 * 1024 * 1024, 'video'));
    await initRepo(repoPath);
    const controller = new AbortController();
    const interrupted = await Repository.open(new AbortingBackend(repoPath, controller), PASSWORD, {
      packSize: 256 * 1024,
    });
    await rejectsWithKind(backup(interrupted, { paths: [source], signal: controller.signal }), 'cancelled');
    // Storing the whole file would take some 256 packs; a cancel that waited for the file's end would.
    assert.ok((await interrupted.backend.list('pack')).length < 32);
    assert.deepEqual((await check(await openRepo(repoPath), { readData: true })).errors, []);
  });

  test('restore and check with an aborted signal are cancelled and release their locks', async (t) => {
    const { dir, source, repoPath } = await workspace(t, 4, 1000);
    const repo = await initRepo(repoPath);
    const { snapshotId } = await backup(repo, { paths: [source] });
    const signal = AbortSignal.abort();
    await rejectsWithKind(
      restore(repo, await findSnapshot(repo, snapshotId), { target: join(dir, 'target'), signal }),
      'cancelled',
    );
    await rejectsWithKind(check(repo, { readData: true, signal }), 'cancelled');
    await rejectsWithKind(backup(repo, { paths: [source], signal }), 'cancelled');
    assert.deepEqual(await repo.backend.list('lock'), []);
  });
});

describe('stats', () => {
  test('snapshot stats count what a restore writes; repository stats what is stored', async (t) => {
    const { source, repoPath } = await workspace(t, 6, 50_000);
    await fs.copyFile(join(source, 'f0'), join(source, 'copy-of-f0'));
    const repo = await initRepo(repoPath);
    const { snapshotId } = await backup(repo, { paths: [source] });
    const stats = await snapshotStats(repo, await findSnapshot(repo, snapshotId));
    assert.equal(stats.files, 7);
    assert.equal(stats.restoreSize, 7 * 50_000);
    assert.equal(stats.blobs, 6, 'the copy shares its blob');
    assert.equal(stats.rawBytes, 6 * 50_000);

    const repoStats = await repositoryStats(await openRepo(repoPath));
    assert.equal(repoStats.snapshots, 1);
    assert.equal(repoStats.storedBytes, await fsTree.dirSize(join(repoPath, 'data')));
    assert.ok(repoStats.rawBytes >= 6 * 50_000);
  });
});
