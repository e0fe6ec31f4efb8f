import { CairnError } from '../errors.js';

export type NodeType = 'file' | 'dir' | 'symlink' | 'blockdev' | 'chardev' | 'fifo' | 'socket';

/** One entry of a directory. Times are nanoseconds since the epoch, as decimal strings. */
export interface TreeNode {
  name: string;
  /** Base64 of the name's bytes, present only when they are not valid UTF-8. */
  nameRaw?: string;
  type: NodeType;
  /** Permission bits, including setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  user?: string;
  group?: string;
  mtime: string;
  /**
   * Files, fifos and devices only: listing a folder or reading a symlink (as every backup does) moves
   * its atime, which would make every re-backup store new trees. Absent in trees written before.
   */
  atime?: string;
  ctime: string;
  inode: string;
  device: string;
  links: number;
  size?: number;
  content?: string[];
  subtree?: string;
  linkTarget?: string;
  linkTargetRaw?: string;
  rdev?: string;
  /** Extended attributes in name order, POSIX ACLs included (system.posix_acl_access/_default). */
  xattrs?: ExtendedAttribute[];
}

export interface ExtendedAttribute {
  name: string;
  /** Base64 of the name's bytes, present only when they are not valid UTF-8. */
  nameRaw?: string;
  /** Base64. */
  value: string;
}

export interface Tree {
  nodes: TreeNode[];
}

/** Serializes a tree deterministically, so identical directories get identical blob ids. */
export function encodeTree(tree: Tree): Buffer {
  return Buffer.from(JSON.stringify({ nodes: tree.nodes }));
}

export function decodeTree(bytes: Buffer, what: string): Tree {
  let tree: Tree;
  try {
    tree = JSON.parse(bytes.toString()) as Tree;
    if (!Array.isArray(tree.nodes)) throw new Error();
  } catch {
    throw new CairnError('corrupt', `${what}: not a valid tree`);
  }
  // Names must be unique: a second entry of the same name (a symlink after a file or folder) could
  // redirect restore writes outside the target.
  const seen = new Set<string>();
  for (const node of tree.nodes) {
    const name = nodeNameBytes(node);
    assertSafeName(name, what);
    const key = name.toString('latin1');
    if (seen.has(key))
      throw new CairnError('corrupt', `${what}: refusing duplicate entry name ${JSON.stringify(key)}`);
    seen.add(key);
  }
  return tree;
}

/** Bytes of a file name as the file system knows it. */
export function nodeNameBytes(node: Pick<TreeNode, 'name' | 'nameRaw'>): Buffer {
  return node.nameRaw !== undefined ? Buffer.from(node.nameRaw, 'base64') : Buffer.from(node.name);
}

/** A name that could climb out of the restore target, or that no file system allows, is refused. */
export function assertSafeName(name: Buffer, what: string): void {
  const text = name.toString('latin1');
  if (name.length === 0 || text === '.' || text === '..' || name.includes(0x2f) || name.includes(0)) {
    throw new CairnError('corrupt', `${what}: refusing unsafe entry name ${JSON.stringify(text)}`);
  }
}

/** Name fields for a name given as bytes: readable text when it is UTF-8, plus raw bytes when not. */
export function nameFields(bytes: Buffer): Pick<TreeNode, 'name' | 'nameRaw'> {
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && Buffer.from(text).equals(bytes)
    ? { name: text }
    : { name: text, nameRaw: bytes.toString('base64') };
}
