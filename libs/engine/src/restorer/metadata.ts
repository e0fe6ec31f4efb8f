import { fchmodSync, fchownSync } from 'node:fs';
import { errnoCode } from '../errors.js';
import { nativeFs, splitNs } from '../native/native-fs.js';
import { nodeNameBytes, type ExtendedAttribute, type TreeNode } from '../tree/tree.js';

/** What the restorer sets on an entry once it has its content: small enough to hand to a worker. */
export interface EntryMetadata {
  uid: number;
  gid: number;
  mode: number;
  /** Nanoseconds since the epoch, as decimal strings; may be negative. */
  atime: string;
  mtime: string;
  xattrs?: ExtendedAttribute[];
}

export function entryMetadata(node: TreeNode): EntryMetadata {
  const { uid, gid, mode, mtime, xattrs } = node;
  // Trees written before atimes were stored, and folders and symlinks, get their mtime as atime.
  return { uid, gid, mode, mtime, atime: node.atime ?? mtime, ...(xattrs ? { xattrs } : {}) };
}

/**
 * Sets owner (when `chown`), mode, extended attributes and times through an open handle, in the
 * order that keeps each: chown clears setuid bits and capabilities, so it comes first. Returns what
 * could not be set, in words; the rest is set regardless.
 */
export function applyToHandle(fd: number, metadata: EntryMetadata, chown: boolean): string[] {
  const problems: string[] = [];
  attempt(problems, 'owner', () => chown && fchownSync(fd, metadata.uid, metadata.gid));
  attempt(problems, 'mode', () => fchmodSync(fd, metadata.mode));
  for (const xattr of metadata.xattrs ?? [])
    attempt(problems, `extended attribute ${xattr.name}`, () =>
      nativeFs.fsetxattr(fd, nodeNameBytes(xattr), Buffer.from(xattr.value, 'base64')),
    );
  attempt(problems, 'times', () => nativeFs.futimens(fd, ...times(metadata)));
  return problems;
}

/**
 * The same for an entry that cannot be opened (symlink, fifo, device), named in the folder `dirFd`
 * and never followed. A symlink has no mode of its own.
 */
export function applyAt(
  dirFd: number,
  name: Buffer,
  metadata: EntryMetadata,
  chown: boolean,
  symlink: boolean,
): string[] {
  const problems: string[] = [];
  const { AT_SYMLINK_NOFOLLOW } = nativeFs.constants;
  attempt(
    problems,
    'owner',
    () => chown && nativeFs.fchownat(dirFd, name, metadata.uid, metadata.gid, AT_SYMLINK_NOFOLLOW),
  );
  attempt(
    problems,
    'mode',
    () => !symlink && nativeFs.fchmodat(dirFd, name, metadata.mode, AT_SYMLINK_NOFOLLOW),
  );
  for (const xattr of metadata.xattrs ?? [])
    attempt(problems, `extended attribute ${xattr.name}`, () =>
      nativeFs.setxattrAt(dirFd, name, nodeNameBytes(xattr), Buffer.from(xattr.value, 'base64')),
    );
  attempt(problems, 'times', () => nativeFs.utimensat(dirFd, name, ...times(metadata), AT_SYMLINK_NOFOLLOW));
  return problems;
}

function times(metadata: EntryMetadata): [bigint, number, bigint, number] {
  return [...splitNs(BigInt(metadata.atime)), ...splitNs(BigInt(metadata.mtime))];
}

function attempt(problems: string[], what: string, action: () => unknown): void {
  try {
    action();
  } catch (error) {
    problems.push(`cannot restore ${what}: ${errnoCode(error) ?? String(error)}`);
  }
}
