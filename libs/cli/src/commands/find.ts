import { Command } from 'commander';
import { find, findSnapshot, listSnapshots } from '@cairn/engine';
import { shortId } from '../format.js';
import { openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { collect } from './flags.js';

export function findCommand(): Command {
  return withRepository(new Command('find'))
    .description('find files by name (or by path, for patterns with /) in snapshots')
    .argument('<pattern...>', 'glob patterns, e.g. "*.pdf" or "/home/*/docs/**"')
    .option('-s, --snapshot <id>', 'only search this snapshot (repeatable; default: all)', collect, [])
    .option('--json', 'print one JSON object per match')
    .action(async (patterns: string[], flags: RepositoryFlags & { snapshot: string[]; json?: boolean }) => {
      const repo = await openRepository(flags);
      try {
        await repo.loadIndex();
        const snapshots = flags.snapshot.length
          ? await Promise.all(flags.snapshot.map((ref) => findSnapshot(repo, ref)))
          : await listSnapshots(repo);
        let matches = 0;
        for await (const { snapshot, path, node } of find(repo, snapshots, patterns)) {
          matches++;
          const text = path.toString();
          process.stdout.write(
            flags.json
              ? `${JSON.stringify({ snapshot: snapshot.id, time: snapshot.time, path: text, type: node.type, size: node.size, mtime: node.mtime })}\n`
              : `${shortId(snapshot.id)} ${snapshot.time.slice(0, 19).replace('T', ' ')}  ${text}${node.type === 'dir' ? '/' : ''}\n`,
          );
        }
        if (!flags.json && matches === 0) process.stderr.write('no matches\n');
      } finally {
        await repo.close();
      }
    });
}
