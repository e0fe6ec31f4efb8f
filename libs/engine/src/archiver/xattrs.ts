import { errnoCode } from '../errors.js';
import { nativeFs } from '../native/native-fs.js';
import { nameFields, type TreeNode } from '../tree/tree.js';

/**
 * The extended attributes of the entry at `path` (a symlink's own), POSIX ACLs included, as tree
 * node fields: none when it has none; a warning, and none, when they cannot be read.
 */
export function extendedAttributes(
  path: Buffer,
  warn: (path: Buffer, message: string) => void,
): Pick<TreeNode, 'xattrs'> {
  let pairs: [Buffer, Buffer][];
  try {
    pairs = nativeFs.lgetxattrs(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return {}; // vanished: the caller's read reports it
    warn(path, `cannot read extended attributes: ${errnoCode(error) ?? String(error)}`);
    return {};
  }
  if (pairs.length === 0) return {};
  return {
    xattrs: pairs
      .sort(([a], [b]) => Buffer.compare(a, b))
      .map(([name, value]) => ({ ...nameFields(name), value: value.toString('base64') })),
  };
}
