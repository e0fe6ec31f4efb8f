// A tree holding every kind of metadata a backup must keep — nanosecond and pre-1970 times, atimes,
// extended attributes, POSIX ACLs, a sparse file, a fifo, a symlink — made and described with the
// system's own tools (touch, setfattr, setfacl, truncate, dd; stat, getfattr, getfacl, du), so that a
// restore is compared with its source by something other than the code under test.
// Plain ESM, shared by the engine and CLI tests; types are in metadata-tree.d.mts.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';

const MiB = 1024 * 1024;

function run(cwd, command, ...args) {
  return execFileSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

/**
 * Builds the tree in the existing folder `root`. `owner` (a uid, used as gid too) owns everything;
 * `privileged` adds what only root can make: a trusted.* attribute and a file of another owner.
 */
export async function buildMetadataTree(root, { owner, privileged }) {
  await fs.writeFile(join(root, 'old.txt'), 'written before 1970\n');
  await fs.writeFile(join(root, 'ns.txt'), 'nanoseconds\n');
  await fs.writeFile(join(root, 'xattrs.txt'), 'has extended attributes\n');
  await fs.mkdir(join(root, 'acl'));
  await fs.writeFile(join(root, 'acl', 'file.txt'), 'has an access ACL\n');
  await fs.mkdir(join(root, 'old-dir'));
  await fs.writeFile(join(root, 'old-dir', 'setuid'), '#!/bin/sh\n');
  await fs.symlink('ns.txt', join(root, 'link'));
  run(root, 'mkfifo', 'fifo');
  // 64 MiB of which 16 KiB hold data, in the middle: a hole on either side.
  run(root, 'truncate', '-s', `${64 * MiB}`, 'sparse.img');
  run(
    root,
    'dd',
    'if=/dev/urandom',
    'of=sparse.img',
    'bs=16k',
    'count=1',
    `seek=${(32 * MiB) / 16384}`,
    'conv=notrunc',
    'status=none',
  );
  if (privileged) await fs.writeFile(join(root, 'owned'), 'owned by someone else\n');

  // Owners first (chown clears setuid), then modes, attributes and ACLs, then times, deepest first.
  run(root, 'chown', '-R', '-h', `${owner}:${owner}`, '.');
  if (privileged) run(root, 'chown', '1234:5678', 'owned');
  run(root, 'chmod', '4755', 'old-dir/setuid');
  run(root, 'setfattr', '-n', 'user.comment', '-v', 'a comment', 'xattrs.txt');
  run(root, 'setfattr', '-n', 'user.binary', '-v', '0x00ff10', 'xattrs.txt');
  run(root, 'setfattr', '-n', 'user.folder', '-v', 'on a folder', 'acl');
  if (privileged) run(root, 'setfattr', '-n', 'trusted.cairn', '-v', 'root only', 'xattrs.txt');
  run(root, 'setfacl', '-m', 'u:65534:rw,g:65534:r', 'acl/file.txt');
  run(root, 'setfacl', '-m', 'u:65534:rwx', 'acl');
  run(root, 'setfacl', '-d', '-m', 'u:65534:rx', 'acl');
  const times = [
    ['old.txt', '1960-01-01 00:00:00.123456789', '1955-05-05 05:05:05.555555555'],
    ['ns.txt', '2001-02-03 04:05:06.123456789', '2003-04-05 06:07:08.987654321'],
    ['xattrs.txt', '2010-10-10 10:10:10.000000001', '2011-11-11 11:11:11.999999999'],
    ['acl/file.txt', '2012-01-01 00:00:00.5', '2012-01-02 00:00:00.25'],
    ['old-dir/setuid', '1969-12-31 23:59:59.999999999', '1969-12-31 23:59:59.000000001'],
    ['fifo', '2005-05-05 05:05:05.050505050', '2006-06-06 06:06:06.060606060'],
    ['sparse.img', '2020-02-02 02:02:02.020202020', '2021-01-01 01:01:01.010101010'],
    ...(privileged ? [['owned', '2015-05-05 05:05:05.5', '2015-05-05 05:05:05.5']] : []),
    ['acl', '2013-03-03 03:03:03.333333333'],
    ['old-dir', '1969-12-31 23:59:59.5'],
    ['.', '2014-04-04 04:04:04.444444444'],
  ];
  for (const [path, mtime, atime] of times) {
    run(root, 'touch', '-m', '-d', mtime, path);
    if (atime) run(root, 'touch', '-a', '-d', atime, path);
  }
  run(root, 'touch', '-h', '-d', '1999-09-09 09:09:09.090909090', 'link');
}

/**
 * What `stat`, `getfattr`, `getfacl` and `du` say about the tree, with paths relative to `root`.
 * Atimes are compared for files and fifos only: listing a folder or reading a symlink moves its
 * atime (the backup does both), so a backup does not store those. Run it before reading any content.
 */
export function describeMetadata(root) {
  const paths = [
    '.',
    ...run(root, 'find', '.', '-mindepth', '1', '-printf', '%P\\n').split('\n').filter(Boolean).sort(),
  ];
  const stat = run(root, 'stat', '-c', '%n|%F|%a|%u|%g|%s|%y|%x', '--', ...paths)
    .trim()
    .split('\n')
    .map((line) => {
      const [name, type, mode, uid, gid, size, mtime, atime] = line.split('|');
      const withAtime = type === 'regular file' || type === 'regular empty file' || type === 'fifo';
      return [
        name,
        type,
        mode,
        uid,
        gid,
        type === 'directory' ? '' : size,
        mtime,
        withAtime ? atime : '',
      ].join(' ');
    });
  const aclPaths = paths.filter((path) => !['link', 'fifo'].includes(path));
  return {
    stat,
    xattrs: run(root, 'getfattr', '-h', '-d', '-m', '-', '-e', 'hex', '--', ...paths),
    acls: run(root, 'getfacl', '-n', '--', ...aclPaths),
    du: run(root, 'du', '-B1', 'sparse.img') + run(root, 'du', '-B1', '--apparent-size', 'sparse.img'),
  };
}
