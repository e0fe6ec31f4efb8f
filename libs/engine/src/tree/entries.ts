import { CairnError } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import { loadTree } from './load.js';
import { nodeNameBytes, type TreeNode } from './tree.js';

export interface SnapshotEntry {
  /** Absolute path inside the snapshot, as bytes (names need not be UTF-8). */
  path: Buffer;
  node: TreeNode;
}

/** Every entry below `treeId`, depth first, folders before their content, in name order. */
export async function* snapshotEntries(
  repo: Repository,
  treeId: string,
  prefix: Buffer = Buffer.alloc(0),
): AsyncGenerator<SnapshotEntry> {
  for (const node of (await loadTree(repo, treeId)).nodes) {
    const path = Buffer.concat([prefix, Buffer.from('/'), nodeNameBytes(node)]);
    yield { path, node };
    if (node.type === 'dir' && node.subtree) yield* snapshotEntries(repo, node.subtree, path);
  }
}

/** The node at an absolute `path` inside the tree `root` (the root itself for `/`). */
export async function findEntry(repo: Repository, root: string, path: string): Promise<SnapshotEntry> {
  let node: TreeNode = {
    name: '',
    type: 'dir',
    subtree: root,
    mode: 0o755,
    uid: 0,
    gid: 0,
    mtime: '0',
    ctime: '0',
    inode: '0',
    device: '0',
    links: 1,
  };
  const components = path.split('/').filter(Boolean);
  for (const [i, component] of components.entries()) {
    const sofar = `/${components.slice(0, i + 1).join('/')}`;
    if (node.type !== 'dir' || !node.subtree)
      throw new CairnError('usage', `${sofar.slice(0, sofar.lastIndexOf('/')) || '/'} is not a folder`);
    const next = (await loadTree(repo, node.subtree)).nodes.find((candidate) => candidate.name === component);
    if (!next) throw new CairnError('not-found', `${sofar} is not in the snapshot`);
    node = next;
  }
  return { path: Buffer.from(components.length ? `/${components.join('/')}` : ''), node };
}
