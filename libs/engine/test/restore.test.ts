import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import {
  backup,
  check,
  DEFAULT_CHUNKER,
  findSnapshot,
  loadTree,
  type Repository,
  type TreeNode,
} from '../src/index.js';
import { saveSnapshot } from '../src/snapshot/snapshot.js';
import { encodeTree } from '../src/tree/tree.js';
import {
  fsTree,
  initRepo,
  MiB,
  openRepo,
  rejectsWithKind,
  restoredPath,
  restoreSnapshot,
  scratchDir,
  type TreeDescription,
} from './helpers.js';

describe('backup then restore', () => {
  let root: string;
  let source: string;
  let repoPath: string;
  let snapshotId: string;
  let expected: TreeDescription;
  let bytesRead: number;

  before(async () => {
    root = await fsTree.makeTempDir('roundtrip');
    source = join(root, 'source');
    repoPath = join(root, 'repo');
    await fs.mkdir(source);
    await fsTree.buildSourceTree(source);
    expected = await fsTree.describeTree(source);
    const repo = await initRepo(repoPath);
    const result = await backup(repo, { paths: [source] });
    assert.deepEqual(result.warnings, []);
    snapshotId = result.snapshotId;
    bytesRead = result.snapshot.summary!.bytesRead;
  });
  after(() => fsTree.removeDir(root));

  test('the source tree has every kind of entry', () => {
    const types = new Set(Object.values(expected).map((entry) => entry.type));
    assert.deepEqual([...types].sort(), ['dir', 'fifo', 'file', 'symlink']);
    assert.ok(Object.values(expected).some((entry) => entry.hardLinks?.length === 2));
    assert.ok(Object.values(expected).some((entry) => (entry.size ?? 0) > 8 * MiB));
  });

  test('restores every entry byte for byte, with modes, owners, mtimes, links and odd names', async (t) => {
    const target = await scratchDir(t, 'roundtrip-target');
    const result = await restoreSnapshot(await openRepo(repoPath), snapshotId, target);
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await fsTree.describeTree(restoredPath(target, source)), expected);
  });

  test('reads the content of hard-linked files once, and never opens the fifo', () => {
    assert.equal(bytesRead, fsTree.uniqueFileBytes(expected));
  });

  test('the snapshot passes a full check', async () => {
    const { errors, hints } = await check(await openRepo(repoPath), { readData: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(hints, []);
  });

  test('--include restores only the given paths and the folders above them', async (t) => {
    const target = await scratchDir(t, 'include-target');
    const include = ['dir/nested', 'small.txt', 'dir/hard-b', 'link-to-dir'];
    await restoreSnapshot(
      await openRepo(repoPath),
      snapshotId,
      target,
      include.map((path) => join(source, path)),
    );
    const restored = await fsTree.describeTree(restoredPath(target, source));
    const wanted = Object.keys(expected).filter(
      (key) =>
        ['.', 'dir'].includes(key) || include.some((path) => key === path || key.startsWith(`${path}/`)),
    );
    assert.deepEqual(Object.keys(restored).sort(), wanted.sort());
    for (const key of wanted.filter((key) => expected[key]!.type !== 'dir')) {
      // A hard link restored without its twin is a plain file with the same content.
      const { hardLinks: _, ...entry } = expected[key]!;
      assert.deepEqual({ ...restored[key], hardLinks: undefined }, { ...entry, hardLinks: undefined }, key);
    }
  });

  test('an --include that matches nothing is an error, not an empty restore', async (t) => {
    const target = await scratchDir(t, 'include-target');
    await rejectsWithKind(
      restoreSnapshot(await openRepo(repoPath), snapshotId, target, [join(source, 'nope')]),
      'not-found',
    );
  });

  test('restoring into the repository itself is refused', async () => {
    await rejectsWithKind(
      restoreSnapshot(await openRepo(repoPath), snapshotId, join(repoPath, 'x')),
      'usage',
    );
  });
});

describe('special files', () => {
  /** Backs up `source` and restores it; returns the restore result and the restored path. */
  async function roundTrip(dir: string, source: string) {
    const repo = await initRepo(join(dir, 'repo'));
    const { snapshotId, warnings } = await backup(repo, { paths: [source] });
    assert.deepEqual(warnings, []);
    const target = join(dir, 'target');
    const result = await restoreSnapshot(repo, snapshotId, target);
    return { repo, snapshotId, result, restored: restoredPath(target, source) };
  }

  test('a socket is recorded as such, not read, and not restored', async (t) => {
    const dir = await scratchDir(t, 'socket');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'file'), 'x');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(source, 'socket'), resolve));
    t.after(() => new Promise((resolve) => server.close(resolve)));

    const { repo, snapshotId, result, restored } = await roundTrip(dir, source);
    const sourceNode = await nodeAt(repo, snapshotId, source);
    const tree = await loadTree(repo, sourceNode.subtree!);
    assert.deepEqual(
      tree.nodes.map((node) => [node.name, node.type]),
      [
        ['file', 'file'],
        ['socket', 'socket'],
      ],
    );
    assert.deepEqual(result.warnings, []);
    assert.deepEqual(await fs.readdir(restored), ['file']);
  });

  test('a fifo and a symlink inside a folder whose name is not UTF-8 are restored', async (t) => {
    const dir = await scratchDir(t, 'fifo');
    const source = join(dir, 'source');
    const odd = Buffer.concat([Buffer.from(`${source}/`), fsTree.NON_UTF8_NAME]);
    await fs.mkdir(odd, { recursive: true });
    // mkfifo takes a text argument: make it under a plain name, then rename it with bytes.
    execFileSync('mkfifo', [join(source, 'fifo')]);
    await fs.rename(join(source, 'fifo'), Buffer.concat([odd, Buffer.from('/fifo')]));
    await fs.symlink('somewhere', Buffer.concat([odd, Buffer.from('/link')]));
    const expected = await fsTree.describeTree(source);

    const { restored } = await roundTrip(dir, source);
    assert.deepEqual(await fsTree.describeTree(restored), expected);
  });
});

describe('file sizes around the chunker limits', () => {
  const { min, avg, max } = DEFAULT_CHUNKER;
  // Random content (one blob per file below min, content-defined cuts above), and zeros, whose
  // chunks are all cut at exactly max and so are one blob written at several offsets.
  const random = [0, 1, min - 1, min, min + 1, avg, max + 1];
  const zeros = [max, 2 * max + 3];

  test('every size restores byte for byte', async (t) => {
    const dir = await scratchDir(t, 'sizes');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    for (const size of random)
      await fs.writeFile(join(source, `random-${size}`), fsTree.pseudoRandomBytes(size, size));
    for (const size of zeros) await fs.writeFile(join(source, `zeros-${size}`), Buffer.alloc(size));
    const repo = await initRepo(join(dir, 'repo'));
    const { snapshotId, snapshot } = await backup(repo, { paths: [source] });
    assert.equal(
      snapshot.summary!.bytesRead,
      [...random, ...zeros].reduce((a, b) => a + b),
    );

    const sourceTree = await loadTree(repo, (await nodeAt(repo, snapshotId, source)).subtree!);
    const blobs = (name: string) => sourceTree.nodes.find((node) => node.name === name)!.content!;
    assert.deepEqual(blobs('random-0'), []);
    assert.equal(blobs(`random-${min - 1}`).length, 1);
    assert.equal(blobs(`random-${max + 1}`).length > 1, true);
    const zeroBlobs = blobs(`zeros-${2 * max + 3}`);
    assert.equal(zeroBlobs.length, 3);
    assert.equal(zeroBlobs[0], zeroBlobs[1]);
    assert.deepEqual(blobs(`zeros-${max}`), [zeroBlobs[0]]);

    const target = join(dir, 'target');
    await restoreSnapshot(await openRepo(join(dir, 'repo')), snapshotId, target);
    assert.deepEqual(
      await fsTree.describeTree(restoredPath(target, source)),
      await fsTree.describeTree(source),
    );
  });
});

/** The node of an absolute path in a snapshot. */
async function nodeAt(repo: Repository, snapshotId: string, path: string): Promise<TreeNode> {
  let treeId = (await findSnapshot(repo, snapshotId)).tree;
  let node: TreeNode | undefined;
  for (const component of path.split('/').filter(Boolean)) {
    node = (await loadTree(repo, treeId)).nodes.find((n) => n.name === component);
    assert.ok(node, `${component} of ${path} is not in the snapshot`);
    treeId = node.subtree ?? '';
  }
  return node!;
}

describe('hostile snapshots', () => {
  const base = { mode: 0o755, uid: 0, gid: 0, mtime: '0', ctime: '0', inode: '1', device: '1', links: 1 };

  /** Writes a snapshot whose root folder holds `nodes`, as a forger with the password could. */
  async function craftSnapshot(repo: Repository, nodes: TreeNode[]): Promise<string> {
    const tree = (await repo.saveBlob('tree', encodeTree({ nodes }))).id;
    await repo.flush();
    const fields = { time: new Date().toISOString(), host: 'evil', username: 'evil', paths: ['/'], tags: [] };
    return saveSnapshot(repo, { ...fields, tree, programVersion: 'evil' });
  }

  /** A Buffer name goes in the raw-bytes field, which takes precedence over the text one. */
  const named = (name: string | Buffer): Pick<TreeNode, 'name' | 'nameRaw'> =>
    typeof name === 'string' ? { name } : { name: 'harmless', nameRaw: name.toString('base64') };

  /**
   * A repository, a restore target a few levels down and a folder `outside` beside it; `marker` is a
   * file name unique to this test, so a write that escapes can be found by name.
   */
  async function setup(t: TestContext) {
    const dir = await scratchDir(t, 'hostile');
    const repo = await initRepo(join(dir, 'repo'));
    const marker = `escaped-${randomBytes(6).toString('hex')}`;
    const content = Buffer.from('written by a hostile snapshot\n');
    const blob = (await repo.saveBlob('data', content)).id;
    const file = (name: string | Buffer): TreeNode => ({
      ...base,
      ...named(name),
      type: 'file',
      mode: 0o644,
      size: content.length,
      content: [blob],
    });
    const folder = async (name: string | Buffer, nodes: TreeNode[]): Promise<TreeNode> => ({
      ...base,
      ...named(name),
      type: 'dir',
      subtree: (await repo.saveBlob('tree', encodeTree({ nodes }))).id,
    });
    const symlink = (name: string, linkTarget: string): TreeNode => ({
      ...base,
      name,
      type: 'symlink',
      linkTarget,
    });
    const outside = join(dir, 'outside');
    await fs.mkdir(outside);
    const target = join(dir, 'a', 'b', 'target');

    /** Nothing may appear in any folder above the target, or in `outside`. */
    async function assertNothingEscaped(): Promise<void> {
      for (const place of [dirname(dir), dir, join(dir, 'a'), join(dir, 'a', 'b'), outside]) {
        const names = await fs.readdir(place).catch(() => [] as string[]);
        assert.ok(!names.includes(marker), `a file escaped into ${place}`);
      }
      assert.deepEqual(await fs.readdir(outside), []);
    }
    return { repo, marker, file, folder, symlink, outside, target, assertNothingEscaped };
  }

  const hostileNames: [string, string | Buffer][] = [
    ['..', '..'],
    ['.', '.'],
    ['a name with a slash', '../MARKER'],
    ['a name with NUL', 'a\0b'],
    ['an empty name', ''],
    ['.. as raw bytes', Buffer.from('..')],
    ['a slash in raw bytes', Buffer.from('../../MARKER')],
  ];

  for (const [label, hostile] of hostileNames) {
    test(`an entry named ${label} is refused as corrupt`, async (t) => {
      const s = await setup(t);
      const name =
        typeof hostile === 'string'
          ? hostile.replace('MARKER', s.marker)
          : Buffer.from(hostile.toString().replace('MARKER', s.marker));
      // The hostile name as a folder holding the marker, as the marker file itself, and nested below
      // a harmless folder.
      const attacks = [
        [await s.folder(name, [s.file(s.marker)])],
        [s.file(name)],
        [await s.folder('innocent', [await s.folder(name, [await s.folder(name, [s.file(s.marker)])])])],
      ];
      for (const nodes of attacks) {
        const id = await craftSnapshot(s.repo, nodes);
        await rejectsWithKind(restoreSnapshot(s.repo, id, s.target), 'corrupt');
        await s.assertNothingEscaped();
      }
    });
  }

  test('a symlink followed by a folder of the same name cannot redirect writes outside the target', async (t) => {
    const s = await setup(t);
    const id = await craftSnapshot(s.repo, [
      s.symlink('x', s.outside),
      await s.folder('x', [s.file(s.marker)]),
    ]);
    // Duplicate names never come from a backup: the tree is damaged or forged.
    await rejectsWithKind(restoreSnapshot(s.repo, id, s.target), 'corrupt');
    await s.assertNothingEscaped();
  });

  test('a file followed by a symlink of the same name cannot redirect its content outside the target', async (t) => {
    const s = await setup(t);
    const id = await craftSnapshot(s.repo, [s.file('x'), s.symlink('x', join(s.outside, s.marker))]);
    await rejectsWithKind(restoreSnapshot(s.repo, id, s.target), 'corrupt');
    await s.assertNothingEscaped();
  });

  test('check reports an unsafe name as damage', async (t) => {
    const s = await setup(t);
    const id = await craftSnapshot(s.repo, [await s.folder('..', [s.file(s.marker)])]);
    const { errors } = await check(s.repo);
    assert.ok(
      errors.some((e) => /unsafe entry name/.test(e.message)),
      JSON.stringify(errors),
    );
    assert.equal((await findSnapshot(s.repo, id)).id, id);
  });

  test('restoring where a symlink now stands in place of a file replaces the link, not what it points to', async (t) => {
    const dir = await scratchDir(t, 'restore-again');
    const source = join(dir, 'source');
    await fs.mkdir(source);
    await fs.writeFile(join(source, 'x'), 'content');
    const repo = await initRepo(join(dir, 'repo'));
    const { snapshotId } = await backup(repo, { paths: [source] });
    // A target left with a symlink where the snapshot has a file: restore must replace the link.
    const outside = join(dir, 'outside-file');
    await fs.writeFile(outside, 'must stay');
    const restored = restoredPath(join(dir, 'target'), source);
    await fs.mkdir(restored, { recursive: true });
    await fs.symlink(outside, join(restored, 'x'));
    await restoreSnapshot(repo, snapshotId, join(dir, 'target'));
    assert.equal(await fs.readFile(outside, 'utf8'), 'must stay');
    assert.equal(await fs.readFile(join(restored, 'x'), 'utf8'), 'content');
    assert.ok(!(await fs.lstat(join(restored, 'x'))).isSymbolicLink());
  });
});
