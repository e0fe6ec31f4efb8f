import { throwIfAborted } from '../errors.js';
import type { Repository } from '../repository/repository.js';
import { loadTree } from './load.js';
import type { Tree } from './tree.js';

const PARALLEL_TREE_LOADS = 8;

/** Visits every tree reachable from `roots` exactly once, loading several at a time. */
export async function walkTrees(
  repo: Repository,
  roots: readonly string[],
  visit: (id: string, tree: Tree) => void,
  signal?: AbortSignal,
): Promise<void> {
  const seen = new Set<string>();
  const queue = roots.filter((id) => !seen.has(id) && seen.add(id));
  const worker = async () => {
    while (queue.length > 0) {
      throwIfAborted(signal);
      const id = queue.pop()!;
      const tree = await loadTree(repo, id);
      visit(id, tree);
      for (const node of tree.nodes) {
        if (node.subtree && !seen.has(node.subtree)) {
          seen.add(node.subtree);
          queue.push(node.subtree);
        }
      }
    }
  };
  // Workers that find the queue empty stop; as long as one runs, it refills and drains it.
  while (queue.length > 0) await Promise.all(Array.from({ length: PARALLEL_TREE_LOADS }, worker));
}

/** Every blob (trees and file content) that the given snapshot trees reference. */
export async function referencedBlobs(
  repo: Repository,
  roots: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const used = new Set<string>(roots);
  await walkTrees(
    repo,
    roots,
    (_id, tree) => {
      for (const node of tree.nodes) {
        if (node.subtree) used.add(node.subtree);
        for (const blob of node.content ?? []) used.add(blob);
      }
    },
    signal,
  );
  return used;
}
