import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, promises as fs, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { nativeFs, splitNs } from '../src/native/native-fs.js';
import { scratchDir } from './helpers.js';

/** A folder `root` holding `inner/`, `link` → an outside folder, and `inner/link` → the same. */
async function tree(t: TestContext) {
  const dir = await scratchDir(t, 'native');
  const root = join(dir, 'root');
  const outside = join(dir, 'outside');
  await fs.mkdir(join(root, 'inner'), { recursive: true });
  await fs.mkdir(outside);
  await fs.symlink(outside, join(root, 'link'));
  await fs.symlink(outside, join(root, 'inner', 'link'));
  const fd = openSync(root, constants.O_RDONLY | constants.O_DIRECTORY);
  t.after(() => closeSync(fd));
  return { root, outside, fd };
}

describe('the native addon', () => {
  test('openBeneath follows no symlink in any component and does not climb above its folder', async (t) => {
    const { fd, outside } = await tree(t);
    const create = constants.O_WRONLY | constants.O_CREAT;
    for (const path of ['link/x', 'inner/link/x', 'link', 'inner/link'])
      assert.throws(
        () => nativeFs.openBeneath(fd, Buffer.from(path), create, 0o600),
        { code: 'ELOOP' },
        path,
      );
    assert.throws(() => nativeFs.openBeneath(fd, Buffer.from('inner/../../x'), create, 0o600), {
      code: 'EXDEV',
    });
    assert.deepEqual(await fs.readdir(outside), []);
    const inner = nativeFs.openBeneath(
      fd,
      Buffer.from('inner'),
      constants.O_RDONLY | constants.O_DIRECTORY,
      0,
    );
    nativeFs.close(inner);
  });

  test('errors carry the code, the call and the name, like Node’s', async (t) => {
    const { fd } = await tree(t);
    assert.throws(() => nativeFs.mkdirat(fd, Buffer.from('inner'), 0o700), {
      code: 'EEXIST',
      syscall: 'mkdirat',
      path: 'inner',
      message: "EEXIST: file already exists, mkdirat 'inner'",
    });
  });

  test('times are set to the nanosecond, before 1970 too, on a symlink itself', async (t) => {
    const { fd, root, outside } = await tree(t);
    const atime = -1n; // 1969-12-31 23:59:59.999999999
    const mtime = -315619199876543211n; // 1960-01-01 00:00:00.123456789
    nativeFs.utimensat(
      fd,
      Buffer.from('link'),
      ...splitNs(atime),
      ...splitNs(mtime),
      nativeFs.constants.AT_SYMLINK_NOFOLLOW,
    );
    const link = await fs.lstat(join(root, 'link'), { bigint: true });
    assert.equal(link.atimeNs, atime);
    assert.equal(link.mtimeNs, mtime);
    assert.notEqual((await fs.stat(outside, { bigint: true })).mtimeNs, mtime);
  });

  test('writeSparse leaves zero pages as holes', async (t) => {
    const { fd, root } = await tree(t);
    const file = nativeFs.openat(fd, Buffer.from('sparse'), constants.O_WRONLY | constants.O_CREAT, 0o600);
    try {
      const data = Buffer.alloc(4 * 1024 * 1024);
      data.fill(7, 2 * 1024 * 1024, 2 * 1024 * 1024 + 100);
      assert.equal(nativeFs.writeSparse(file, data, 4096 * 3 + 10), 4096);
    } finally {
      nativeFs.close(file);
    }
    // Only the page holding the data is written; the size ends with it (the restorer truncates).
    const start = 4096 * 3 + 10 + 2 * 1024 * 1024;
    const stats = await fs.stat(join(root, 'sparse'));
    assert.equal(stats.size, Math.ceil(start / 4096) * 4096);
    assert.ok(stats.blocks * 512 <= 8192, `${stats.blocks} blocks allocated`);
    const back = await fs.readFile(join(root, 'sparse'));
    const data = back.subarray(start, start + 100);
    assert.ok(data.every((byte) => byte === 7));
    assert.equal(
      back.reduce((sum, byte) => sum + byte, 0),
      700,
    );
  });

  test('lgetxattrs reads the entry’s own attributes, never a symlink’s target’s', async (t) => {
    const { root, outside } = await tree(t);
    await fs.writeFile(join(root, 'file'), '');
    execFileSync('setfattr', ['-n', 'user.b', '-v', '0x00ff', join(root, 'file')]);
    execFileSync('setfattr', ['-n', 'user.a', '-v', 'text', join(root, 'file')]);
    execFileSync('setfattr', ['-n', 'user.outside', '-v', 'x', outside]);
    const pairs = nativeFs.lgetxattrs(Buffer.from(join(root, 'file')));
    assert.deepEqual(pairs.map(([name, value]) => [name.toString(), value.toString('hex')]).sort(), [
      ['user.a', Buffer.from('text').toString('hex')],
      ['user.b', '00ff'],
    ]);
    assert.deepEqual(nativeFs.lgetxattrs(Buffer.from(join(root, 'link'))), []);
  });
});
