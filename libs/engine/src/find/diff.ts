import type { Repository } from '../repository/repository.js';
import { loadTree } from '../tree/load.js';
import { snapshotEntries } from '../tree/entries.js';
import { nodeNameBytes, type TreeNode } from '../tree/tree.js';

/** `+` added, `-` removed, `M` content changed, `T` type changed, `U` only metadata changed. */
export type Change = '+' | '-' | 'M' | 'T' | 'U';

export interface DiffEntry {
  change: Change;
  path: Buffer;
}

/** What changed from tree `from` to tree `to`; identical subtrees (same id) are skipped unread. */
export async function* diffTrees(
  repo: Repository,
  from: string,
  to: string,
  prefix: Buffer = Buffer.alloc(0),
): AsyncGenerator<DiffEntry> {
  if (from === to) return;
  const [before, after] = await Promise.all([loadTree(repo, from), loadTree(repo, to)]);
  const keyed = (nodes: TreeNode[]) =>
    new Map(nodes.map((node) => [nodeNameBytes(node).toString('latin1'), node]));
  const old = keyed(before.nodes);
  const now = keyed(after.nodes);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort((a, b) =>
    Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')),
  );
  for (const name of names) {
    const path = Buffer.concat([prefix, Buffer.from('/'), Buffer.from(name, 'latin1')]);
    const a = old.get(name);
    const b = now.get(name);
    if (!a || !b) {
      const node = (a ?? b)!;
      const change: Change = a ? '-' : '+';
      yield { change, path };
      if (node.type === 'dir' && node.subtree)
        for await (const entry of snapshotEntries(repo, node.subtree, path))
          yield { change, path: entry.path };
      continue;
    }
    if (a.type !== b.type) {
      yield { change: 'T', path };
      continue;
    }
    if (a.type === 'file' && (a.content ?? []).join() !== (b.content ?? []).join())
      yield { change: 'M', path };
    else if (metadataChanged(a, b)) yield { change: 'U', path };
    if (a.type === 'dir' && a.subtree && b.subtree) yield* diffTrees(repo, a.subtree, b.subtree, path);
  }
}

function metadataChanged(a: TreeNode, b: TreeNode): boolean {
  return (
    a.mode !== b.mode ||
    a.uid !== b.uid ||
    a.gid !== b.gid ||
    a.mtime !== b.mtime ||
    a.linkTarget !== b.linkTarget ||
    a.linkTargetRaw !== b.linkTargetRaw ||
    JSON.stringify(a.xattrs) !== JSON.stringify(b.xattrs)
  );
}
