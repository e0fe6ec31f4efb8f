import { basename } from 'node:path';
import { throwIfAborted } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import type { SnapshotRecord } from '../snapshot/snapshot.js';
import { findEntry, snapshotEntries } from '../tree/entries.js';
import type { TreeNode } from '../tree/tree.js';
import { padding, TAR_END, tarHeader, tarSupports } from './tar.js';

/** A file's content, blob by blob, each verified against its id. */
export async function* fileContent(repo: Repository, node: TreeNode): AsyncGenerator<Buffer> {
  for (const id of node.content ?? []) yield await repo.loadBlob(id);
}

/**
 * What `cairn dump` writes: a file's content, or a folder (and everything below it) as a tar
 * archive whose entries start with the folder's name. Meant for `stream.pipeline` to stdout or HTTP.
 */
export async function* dump(
  repo: Repository,
  snapshot: SnapshotRecord,
  path: string,
  signal?: AbortSignal,
): AsyncGenerator<Buffer> {
  await repo.loadIndex();
  const { node } = await findEntry(repo, snapshot.tree, path);
  if (node.type !== 'dir') {
    yield* fileContent(repo, node);
    return;
  }
  const top = Buffer.from(basename(path) || 'snapshot');
  yield tarHeader({ name: top, node });
  const firstLinks = new Map<string, Buffer>();
  for await (const entry of snapshotEntries(repo, node.subtree!, top)) {
    throwIfAborted(signal);
    const name = entry.path;
    const { node: child } = entry;
    if (!tarSupports(child)) continue;
    const linkKey = child.type === 'file' && child.links > 1 ? `${child.device}:${child.inode}` : undefined;
    const hardLinkTo = linkKey ? firstLinks.get(linkKey) : undefined;
    if (linkKey && !hardLinkTo) firstLinks.set(linkKey, name);
    yield tarHeader({ name, node: child, ...(hardLinkTo ? { hardLinkTo } : {}) });
    if (child.type === 'file' && !hardLinkTo) {
      yield* fileContent(repo, child);
      yield padding(child.size ?? 0);
    }
  }
  yield TAR_END;
}
