import { Command } from 'commander';
import { findSnapshot, restore } from '@cairn/engine';
import { EXIT } from '../exit-codes.js';
import { formatBytes, formatDuration, shortId } from '../format.js';
import { interruption } from '../interruption.js';
import { StatusOutput } from '../progress.js';
import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { collect } from './flags.js';

interface RestoreFlags extends RepositoryFlags {
  target: string;
  include: string[];
  devices?: boolean;
  json?: boolean;
}

export function restoreCommand(): Command {
  return withRepository(new Command('restore'))
    .description('restore a snapshot (or parts of it) into a folder')
    .argument('<snapshot>', 'snapshot id, unique prefix (8+ hex digits) or "latest"')
    .requiredOption(
      '-t, --target <dir>',
      'folder to restore into (files land under their original absolute paths)',
    )
    .option('-i, --include <path>', 'restore only this path of the snapshot (repeatable)', collect, [])
    .option(
      '--devices',
      'recreate block and character devices (needs root); without it they are skipped with a warning',
    )
    .option('--json', 'print status and the summary as JSON lines')
    .action(async (ref: string, flags: RestoreFlags) => {
      const output = new StatusOutput(flags.json ?? false);
      const repo = await openRepository(flags);
      const started = Date.now();
      try {
        await repo.loadIndex();
        const snapshot = await findSnapshot(repo, ref);
        const result = await restore(repo, snapshot, {
          target: flags.target,
          include: flags.include,
          devices: flags.devices ?? false,
          signal: interruption.signal,
          lock: lockOptions(flags),
          ...(output.live || output.json ? { onProgress: (progress) => output.progress(progress) } : {}),
          onWarning: (warning) => output.warn(`${warning.path}: ${warning.message}`),
        });
        if (output.json) output.emit({ message_type: 'summary', snapshot_id: snapshot.id, ...result });
        output.say(
          `restored snapshot ${shortId(snapshot.id)}: ${result.files} files, ${result.dirs} folders, ` +
            `${formatBytes(result.bytes)} in ${formatDuration(Date.now() - started)} to ${flags.target} (content verified)`,
        );
        if (result.warnings.length > 0) process.exitCode = EXIT.warnings;
      } finally {
        output.clear();
        await repo.close();
      }
    });
}
