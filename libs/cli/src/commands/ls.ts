import { Command } from 'commander';
import { CairnError, findSnapshot, loadTree, type Repository, type TreeNode } from '@cairn/engine';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';

export function lsCommand(): Command {
  return withRepository(new Command('ls'))
    .description('list the files in a snapshot')
    .argument('<snapshot>', 'snapshot id, unique prefix (8+ hex digits) or "latest"')
    .argument('[path]', 'only list this folder (absolute path inside the snapshot)', '/')
    .option('--json', 'print one JSON object per entry')
    .action(async (ref: string, path: string, flags: RepositoryFlags & { json?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        await repo.loadIndex();
        const snapshot = await findSnapshot(repo, ref);
        const start = await descend(repo, snapshot.tree, path);
        const print = (entryPath: string, node: TreeNode) =>
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ path: entryPath, ...node, content: undefined, subtree: undefined })}\n`
              : `${entryPath}${node.type === 'dir' ? '/' : ''}${node.type === 'symlink' ? ` -> ${node.linkTarget}` : ''}\n`,
          );
        await walk(repo, start.tree, start.path, print);
      } finally {
        await repo.close();
      }
    });
}

/** Finds the tree of the folder `path` inside a snapshot. */
async function descend(
  repo: Repository,
  root: string,
  path: string,
): Promise<{ tree: string; path: string }> {
  let tree = root;
  const components = path.split('/').filter(Boolean);
  for (const [i, component] of components.entries()) {
    const node = (await loadTree(repo, tree)).nodes.find((candidate) => candidate.name === component);
    const sofar = `/${components.slice(0, i + 1).join('/')}`;
    if (!node) throw new CairnError('not-found', `${sofar} is not in the snapshot`);
    if (node.type !== 'dir' || !node.subtree) throw new CairnError('usage', `${sofar} is not a folder`);
    tree = node.subtree;
  }
  return { tree, path: components.length ? `/${components.join('/')}` : '' };
}

async function walk(
  repo: Repository,
  tree: string,
  path: string,
  print: (path: string, node: TreeNode) => void,
): Promise<void> {
  for (const node of (await loadTree(repo, tree)).nodes) {
    const entryPath = `${path}/${node.name}`;
    print(entryPath, node);
    if (node.type === 'dir' && node.subtree) await walk(repo, node.subtree, entryPath, print);
  }
}
