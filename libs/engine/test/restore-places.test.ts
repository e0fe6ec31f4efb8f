import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { backup, findSnapshot, restore } from '../src/index.js';
import { initRepo, restoredPath, restoreSnapshot, scratchDir } from './helpers.js';

/** A source, a repository, a target and a folder `outside` (mode 0755) that nothing may touch. */
async function setup(t: TestContext, prefix: string) {
  const dir = await scratchDir(t, prefix);
  const [source, outside, target] = ['source', 'outside', 'target'].map((name) => join(dir, name)) as [
    string,
    string,
    string,
  ];
  await fs.mkdir(source);
  await fs.mkdir(outside);
  await fs.chmod(outside, 0o755);
  const repo = await initRepo(join(dir, 'repo'));
  const snapshot = async () => (await backup(repo, { paths: [source] })).snapshotId;
  const assertOutsideUntouched = async () => {
    assert.deepEqual(await fs.readdir(outside), [], 'something was written outside the target');
    assert.equal((await fs.stat(outside)).mode & 0o7777, 0o755, 'the outside folder was chmod-ed');
  };
  return { dir, source, outside, target, repo, snapshot, assertOutsideUntouched };
}

describe('a restore never follows a symlink below its target', () => {
  test('d a symlink to an outside folder in one snapshot, a 0777 folder holding payload.sh in the next', async (t) => {
    const s = await setup(t, 'symlink-then-folder');
    await fs.symlink(s.outside, join(s.source, 'd'));
    const asLink = await s.snapshot();
    await fs.rm(join(s.source, 'd'));
    await fs.mkdir(join(s.source, 'd'));
    await fs.writeFile(join(s.source, 'd', 'payload.sh'), '#!/bin/sh\necho owned\n', { mode: 0o755 });
    await fs.chmod(join(s.source, 'd'), 0o777);
    const asFolder = await s.snapshot();

    const restored = restoredPath(s.target, s.source);
    await restoreSnapshot(s.repo, asLink, s.target);
    assert.equal(await fs.readlink(join(restored, 'd')), s.outside);
    const result = await restoreSnapshot(s.repo, asFolder, s.target);
    assert.deepEqual(result.warnings, []);
    await s.assertOutsideUntouched();
    const d = await fs.lstat(join(restored, 'd'));
    assert.ok(d.isDirectory(), 'the symlink is replaced by the folder');
    assert.equal(d.mode & 0o7777, 0o777);
    assert.equal(await fs.readFile(join(restored, 'd', 'payload.sh'), 'utf8'), '#!/bin/sh\necho owned\n');

    // The other way round: the folder (with content) stays, the symlink is refused in words.
    const back = await restoreSnapshot(s.repo, asLink, s.target);
    assert.deepEqual(back.warnings, [
      {
        path: join(restored, 'd'),
        message: 'not restored: a folder with content is in the way of this symlink',
      },
    ]);
    assert.ok((await fs.lstat(join(restored, 'd'))).isDirectory());
    await s.assertOutsideUntouched();
  });

  test('a symlink left in the target at any folder above or of the snapshot path is replaced, not followed', async (t) => {
    const s = await setup(t, 'symlink-above');
    await fs.writeFile(join(s.source, 'file'), 'content');
    const id = await s.snapshot();
    // target/tmp, target/tmp/cairn-…, target/tmp/cairn-…/source: each in turn a symlink to outside.
    const components = s.source.split('/').filter(Boolean);
    for (const depth of components.keys()) {
      await fs.rm(s.target, { recursive: true, force: true });
      const planted = join(s.target, ...components.slice(0, depth + 1));
      await fs.mkdir(join(planted, '..'), { recursive: true });
      await fs.symlink(s.outside, planted);
      const result = await restoreSnapshot(s.repo, id, s.target);
      assert.deepEqual(result.warnings, []);
      await s.assertOutsideUntouched();
      assert.ok((await fs.lstat(planted)).isDirectory(), `${planted} is a folder again`);
      assert.equal(await fs.readFile(join(restoredPath(s.target, s.source), 'file'), 'utf8'), 'content');
    }
  });

  test('a symlink in place of a hard link or a special file is replaced, not followed', async (t) => {
    const s = await setup(t, 'symlink-special');
    await fs.writeFile(join(s.source, 'first'), 'linked');
    await fs.link(join(s.source, 'first'), join(s.source, 'second'));
    execFileSync('mkfifo', [join(s.source, 'fifo')]);
    await fs.symlink('first', join(s.source, 'link'));
    const id = await s.snapshot();
    const restored = restoredPath(s.target, s.source);
    await fs.mkdir(restored, { recursive: true });
    for (const name of ['second', 'fifo', 'link']) await fs.symlink(s.outside, join(restored, name));

    const result = await restoreSnapshot(s.repo, id, s.target);
    assert.deepEqual(result.warnings, []);
    await s.assertOutsideUntouched();
    assert.equal((await fs.stat(join(restored, 'second'))).ino, (await fs.stat(join(restored, 'first'))).ino);
    assert.ok((await fs.lstat(join(restored, 'fifo'))).isFIFO());
    assert.equal(await fs.readlink(join(restored, 'link')), 'first');
  });
});

describe('device nodes', () => {
  /** A snapshot holding /dev/null's twin (char 1:3) and a fifo. */
  async function withDevice(t: TestContext) {
    if (process.getuid?.() !== 0) throw new Error('making a device node needs root');
    const s = await setup(t, 'devices');
    execFileSync('mknod', [join(s.source, 'null'), 'c', '1', '3']);
    execFileSync('mkfifo', [join(s.source, 'fifo')]);
    return { ...s, id: await s.snapshot(), restored: restoredPath(s.target, s.source) };
  }

  test('are skipped, with a warning naming them, unless asked for', async (t) => {
    const s = await withDevice(t);
    const result = await restoreSnapshot(s.repo, s.id, s.target);
    assert.deepEqual(result.warnings, [
      {
        path: join(s.restored, 'null'),
        message: 'device node not restored: recreating devices must be asked for (--devices)',
      },
    ]);
    assert.deepEqual(await fs.readdir(s.restored), ['fifo']);
  });

  test('are recreated with devices: true', async (t) => {
    const s = await withDevice(t);
    const snapshot = await findSnapshot(s.repo, s.id);
    const result = await restore(s.repo, snapshot, { target: s.target, devices: true });
    assert.deepEqual(result.warnings, []);
    const device = await fs.lstat(join(s.restored, 'null'));
    assert.ok(device.isCharacterDevice());
    assert.equal(device.rdev, (await fs.stat('/dev/null')).rdev);
  });
});
