// Filesystem helpers shared by the engine and CLI tests: a source tree with every kind of entry a
// backup must handle, and a byte-exact description of a tree to compare a restore against its source.
// Plain ESM (not compiled), so that every workspace can load it; types are in fs-tree.d.mts.
import { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';

const MiB = 1024 * 1024;

/** A fresh folder under the system temp dir. */
export function makeTempDir(prefix) {
  return fs.mkdtemp(join(tmpdir(), `cairn-${prefix}-`));
}

export function removeDir(path) {
  return fs.rm(path, { recursive: true, force: true });
}

/**
 * Deterministic bytes that look random to a compressor and a chunker: AES-256-CTR of zeros under a key
 * derived from `seed`. Much faster than a JS PRNG and stable across runs, so failures reproduce.
 */
export function pseudoRandomBytes(length, seed) {
  const key = createHash('sha256').update(String(seed)).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return Buffer.concat([cipher.update(Buffer.alloc(length)), cipher.final()]);
}

/** Inverts every bit of one byte in place; calling it twice restores the file. */
export async function flipByte(path, offset) {
  const handle = await fs.open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    const { bytesRead } = await handle.read(byte, 0, 1, offset);
    if (bytesRead !== 1) throw new Error(`flipByte: offset ${offset} is past the end of ${path}`);
    byte[0] ^= 0xff;
    await handle.write(byte, 0, 1, offset);
  } finally {
    await handle.close();
  }
}

/** Total size of the regular files under `root` (what a repository costs on disk). */
export async function dirSize(root) {
  let total = 0;
  for (const entry of await fs.readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await fs.lstat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

const join2 = (parent, name) =>
  Buffer.concat([parent, Buffer.from('/'), Buffer.isBuffer(name) ? name : Buffer.from(name)]);

/** Non-UTF-8 names ("f\xff\xfe"): Linux allows any bytes but '/' and NUL in a name. */
export const NON_UTF8_NAME = Buffer.from([0x66, 0xff, 0xfe]);

/**
 * Builds under `root` (which must exist) a tree with every kind of entry a backup must reproduce:
 * small, empty and multi-chunk files (larger than the 8 MiB max chunk, and one made of repeated
 * identical chunks), nested and empty folders, relative/absolute/dangling symlinks and one pointing at
 * a folder (must not be followed), a hard-linked pair, names that are not UTF-8 or hold spaces,
 * newlines and emoji, a fifo, special permission bits, a foreign owner (when root), and a distinct
 * sub-second mtime on every entry. `largeFiles: false` leaves out the two big files for quick tests.
 */
export async function buildSourceTree(root, { largeFiles = true } = {}) {
  const base = Buffer.from(root);
  const at = (...names) => names.reduce((path, name) => join2(path, name), base);
  const file = (path, data, mode = 0o644) => fs.writeFile(path, data, { mode });

  for (const dir of [
    ['dir'],
    ['dir', 'nested'],
    ['dir', 'nested', 'deeper'],
    ['empty-dir'],
    ['dir', 'empty-sub'],
  ]) {
    await fs.mkdir(at(...dir));
  }
  await file(at('small.txt'), 'hello, cairn\n');
  await file(at('empty'), '');
  await file(at('dir', 'nested', 'deeper', 'leaf.txt'), 'deep inside\n'.repeat(100));
  await file(at('dir', 'medium.bin'), pseudoRandomBytes(700 * 1024, 'medium'));
  if (largeFiles) {
    await file(at('big.bin'), pseudoRandomBytes(9 * MiB + 321, 'big'));
    // All zeros: every chunk is cut at max and they are identical, so one blob fills several offsets.
    await file(at('zeros.bin'), Buffer.alloc(17 * MiB));
  }

  await fs.symlink('small.txt', at('link-relative'));
  await fs.symlink('../small.txt', at('dir', 'link-up'));
  await fs.symlink('/etc/hostname', at('link-absolute'));
  await fs.symlink('does/not/exist', at('link-dangling'));
  await fs.symlink('dir', at('link-to-dir'));
  await fs.symlink(Buffer.concat([Buffer.from('target-'), NON_UTF8_NAME]), at('link-raw-target'));

  await file(at('hard-a'), pseudoRandomBytes(300 * 1024, 'hard'));
  await fs.link(at('hard-a'), at('dir', 'hard-b'));

  await file(at(NON_UTF8_NAME), 'name is not UTF-8\n');
  await fs.mkdir(at(Buffer.concat([Buffer.from('dir-'), NON_UTF8_NAME])));
  await file(
    at(Buffer.concat([Buffer.from('dir-'), NON_UTF8_NAME]), 'inside.txt'),
    'inside a non-UTF-8 folder\n',
  );
  for (const name of [
    'with space',
    'new\nline',
    'tab\there',
    'ünïcødé 日本語 🎉',
    '-starts-with-dash',
    '.hidden',
  ]) {
    await file(at(name), `content of ${JSON.stringify(name)}\n`);
  }

  execFileSync('mkfifo', [at('fifo').toString()]);

  await file(at('mode-640'), 'group can read\n', 0o640);
  await file(at('script.sh'), '#!/bin/sh\necho hi\n', 0o755);
  await file(at('read-only'), 'read only\n', 0o444);
  await file(at('setuid'), 'setuid bit\n');
  await fs.chmod(at('setuid'), 0o4755);
  await fs.mkdir(at('private-dir'), { mode: 0o750 });
  await fs.chmod(at('private-dir'), 0o750);
  await fs.mkdir(at('sticky-dir'));
  await fs.chmod(at('sticky-dir'), 0o1777);
  if (process.getuid?.() === 0) {
    await file(at('owned-by-4242'), 'foreign owner\n');
    await fs.chown(at('owned-by-4242'), 4242, 4242);
  }

  await stampTimes(base);
}

/** Gives every entry its own old mtime with a millisecond part, children before their folder. */
async function stampTimes(root) {
  let n = 0;
  const visit = async (path) => {
    const stats = await fs.lstat(path);
    if (stats.isDirectory()) {
      const names = await fs.readdir(path, { encoding: 'buffer' });
      for (const name of names.sort(Buffer.compare)) await visit(join2(path, name));
    }
    const seconds = 1_000_000_000 + n++ * 86_461.789;
    await (stats.isSymbolicLink() ? fs.lutimes(path, seconds, seconds) : fs.utimes(path, seconds, seconds));
  };
  await visit(root);
}

/** A readable key for a path component: its text when it is UTF-8, else its bytes in hex. */
function showName(name) {
  const text = name.toString('utf8');
  return Buffer.from(text).equals(name) ? text : `<0x${name.toString('hex')}>`;
}

const TYPES = [
  ['isFile', 'file'],
  ['isDirectory', 'dir'],
  ['isSymbolicLink', 'symlink'],
  ['isFIFO', 'fifo'],
  ['isSocket', 'socket'],
  ['isCharacterDevice', 'chardev'],
  ['isBlockDevice', 'blockdev'],
];

/**
 * Everything a restore must reproduce about the tree under `root`, keyed by relative path ('.' is
 * the root itself): type, permission bits, owner, mtime in milliseconds, file size and SHA-256,
 * symlink target bytes, and which paths share an inode (hard links). Never follows symlinks and
 * never opens special files.
 */
export async function describeTree(root) {
  const entries = {};
  const inodes = new Map();
  const visit = async (path, key) => {
    const stats = await fs.lstat(path, { bigint: true });
    const type = TYPES.find(([method]) => stats[method]())[1];
    const entry = {
      type,
      mode: `0o${(stats.mode & 0o7777n).toString(8)}`,
      uid: Number(stats.uid),
      gid: Number(stats.gid),
      mtimeMs: Number(stats.mtimeNs / 1_000_000n),
    };
    entries[key] = entry;
    if (type === 'file') {
      const content = await fs.readFile(path);
      entry.size = content.length;
      entry.sha256 = createHash('sha256').update(content).digest('hex');
      if (stats.nlink > 1n) {
        const group = inodes.get(stats.ino) ?? [];
        inodes.set(stats.ino, group);
        group.push(key);
        entry.hardLinks = group;
      }
    } else if (type === 'symlink') {
      entry.linkTarget = showName(await fs.readlink(path, { encoding: 'buffer' }));
    } else if (type === 'dir') {
      const names = await fs.readdir(path, { encoding: 'buffer' });
      for (const name of names.sort(Buffer.compare)) {
        await visit(join2(path, name), key === '.' ? showName(name) : `${key}/${showName(name)}`);
      }
    }
  };
  await visit(Buffer.from(root), '.');
  // Every member of a hard-link group lists the whole group, sorted, so the comparison is exact.
  for (const group of inodes.values()) group.sort();
  return entries;
}

/** Bytes of file content in a description, counting each hard-linked inode once. */
export function uniqueFileBytes(description) {
  let total = 0;
  for (const [key, entry] of Object.entries(description)) {
    if (entry.type === 'file' && (entry.hardLinks === undefined || entry.hardLinks[0] === key))
      total += entry.size;
  }
  return total;
}
