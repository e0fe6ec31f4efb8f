import type { BigIntStats } from 'node:fs';
import type { NodeType, TreeNode } from '../tree/tree.js';
import type { OwnerNames } from './owners.js';

export function nodeType(stats: BigIntStats): NodeType {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isBlockDevice()) return 'blockdev';
  if (stats.isCharacterDevice()) return 'chardev';
  if (stats.isFIFO()) return 'fifo';
  return 'socket';
}

/** The metadata part of a tree node, from an lstat taken with `bigint: true` (exact ns and inodes). */
export function metadataFromStats(
  stats: BigIntStats,
  owners: OwnerNames,
): Omit<TreeNode, 'name' | 'nameRaw' | 'content' | 'subtree' | 'linkTarget' | 'linkTargetRaw'> {
  const type = nodeType(stats);
  const uid = Number(stats.uid);
  const gid = Number(stats.gid);
  const node: ReturnType<typeof metadataFromStats> = {
    type,
    mode: Number(stats.mode & 0o7777n),
    uid,
    gid,
    mtime: stats.mtimeNs.toString(),
    ...(type === 'dir' || type === 'symlink' ? {} : { atime: stats.atimeNs.toString() }),
    ctime: stats.ctimeNs.toString(),
    inode: stats.ino.toString(),
    device: stats.dev.toString(),
    links: Number(stats.nlink),
  };
  const user = owners.user(uid);
  const group = owners.group(gid);
  if (user !== undefined) node.user = user;
  if (group !== undefined) node.group = group;
  if (type === 'file') node.size = Number(stats.size);
  if (type === 'blockdev' || type === 'chardev') node.rdev = stats.rdev.toString();
  return node;
}
