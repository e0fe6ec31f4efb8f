import { Command } from 'commander';
import { findEntry, findSnapshot, snapshotEntries } from '@cairn/engine';
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
        const start = await findEntry(repo, snapshot.tree, path);
        if (start.node.type !== 'dir') throw new Error(`${path} is not a folder`);
        for await (const { path: entryPath, node } of snapshotEntries(
          repo,
          start.node.subtree!,
          start.path,
        )) {
          const { content: _content, subtree: _subtree, ...fields } = node;
          const text = entryPath.toString();
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ path: text, ...fields })}\n`
              : `${text}${node.type === 'dir' ? '/' : ''}${node.type === 'symlink' ? ` -> ${node.linkTarget}` : ''}\n`,
          );
        }
      } finally {
        await repo.close();
      }
    });
}
