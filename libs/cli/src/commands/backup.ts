import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  backup,
  CairnError,
  COMPRESSION_MODES,
  parseCompressionMode,
  parseExcludeFile,
  type BackupResult,
} from '@cairn/engine';
import { EXIT } from '../exit-codes.js';
import { formatBytes, formatDuration, shortId } from '../format.js';
import { interruption } from '../interruption.js';
import { StatusOutput } from '../progress.js';
import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { collect, parsePackSize, parseTime } from './flags.js';

interface BackupFlags extends RepositoryFlags {
  exclude: string[];
  excludeFile: string[];
  tag: string[];
  host?: string;
  time?: Date;
  compression: string;
  packSize?: number;
  dryRun?: boolean;
  json?: boolean;
}

export function backupCommand(): Command {
  return withRepository(new Command('backup'))
    .description('back up files and folders into a new snapshot')
    .argument('<path...>', 'files or folders to back up')
    .option(
      '-e, --exclude <glob>',
      'leave out matching paths (repeatable; a name pattern, or a path pattern with /)',
      collect,
      [],
    )
    .option(
      '--exclude-file <file>',
      'read exclude patterns from a file, one per line (repeatable)',
      collect,
      [],
    )
    .option('--tag <tag>', 'tag the snapshot (repeatable)', collect, [])
    .option('--host <name>', 'host name to record (default: this machine)')
    .option('--time <iso-8601>', 'snapshot time to record (default: now)', parseTime)
    .addOption(
      new Option('--compression <mode>', 'zstd compression').choices(COMPRESSION_MODES).default('default'),
    )
    .option('--pack-size <MiB>', 'target size of pack files (default 16)', parsePackSize)
    .option('-n, --dry-run', 'read and chunk everything, but write nothing to the repository')
    .option('--json', 'print status and the summary as JSON lines')
    .action(async (paths: string[], flags: BackupFlags) => {
      const excludes = [...flags.exclude, ...flags.excludeFile.flatMap(readExcludeFile)];
      const output = new StatusOutput(flags.json ?? false);
      const repo = await openRepository(flags, {
        compression: parseCompressionMode(flags.compression),
        ...(flags.packSize ? { packSize: flags.packSize } : {}),
        dryRun: flags.dryRun ?? false,
      });
      try {
        const result = await backup(repo, {
          paths,
          excludes,
          tags: flags.tag,
          ...(flags.host ? { host: flags.host } : {}),
          ...(flags.time ? { time: flags.time } : {}),
          signal: interruption.signal,
          lock: lockOptions(flags),
          ...(output.live || output.json ? { onProgress: (progress) => output.progress(progress) } : {}),
          onWarning: (warning) => output.warn(`${warning.path}: ${warning.message}`),
        });
        report(output, result, flags.dryRun ?? false);
        if (result.warnings.length > 0) process.exitCode = EXIT.warnings;
      } finally {
        output.clear();
        await repo.close();
      }
    });
}

function readExcludeFile(path: string): string[] {
  try {
    return parseExcludeFile(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new CairnError(
      'usage',
      `cannot read exclude file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

function report(output: StatusOutput, result: BackupResult, dryRun: boolean): void {
  const summary = result.snapshot.summary!;
  if (output.json) {
    output.emit({
      message_type: 'summary',
      snapshot_id: dryRun ? null : result.snapshotId,
      dry_run: dryRun,
      ...summary,
      warnings: result.warnings,
    });
    return;
  }
  if (result.adoptedPacks > 0)
    output.say(`reused ${result.adoptedPacks} packs left by an interrupted backup`);
  output.say(
    `Files:  ${summary.filesNew} new, ${summary.filesChanged} changed, ${summary.filesUnmodified} unmodified`,
  );
  output.say(`Dirs:   ${summary.dirs}`);
  output.say(
    `Added:  ${formatBytes(summary.bytesAdded)} stored (${summary.blobsAdded} new blobs in ${summary.packsWritten} packs)`,
  );
  output.say(
    `Read:   ${formatBytes(summary.bytesRead)} of ${formatBytes(summary.bytesTotal)} in ${formatDuration(summary.durationMs)}`,
  );
  if (result.warnings.length > 0)
    output.say(`${result.warnings.length} warnings: the snapshot lacks the files listed above`);
  output.say(dryRun ? 'dry run: nothing was written' : `snapshot ${shortId(result.snapshotId)} saved`);
}
