import { readFileSync, writeFileSync } from 'node:fs';
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
  summaryFile?: string;
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
    .option(
      '--summary-file <file>',
      "also write the summary there as one short JSON object (warnings counted): a Kubernetes pod's /dev/termination-log",
    )
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
        if (flags.summaryFile) writeSummaryFile(flags.summaryFile, result, flags.dryRun ?? false, output);
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

/**
 * The summary without the list of warnings, so that it stays within what Kubernetes keeps of a
 * termination message (4 KiB): the volume controller reads a backup pod's figures from it.
 */
function writeSummaryFile(path: string, result: BackupResult, dryRun: boolean, output: StatusOutput): void {
  const summary = {
    message_type: 'summary',
    snapshot_id: dryRun ? null : result.snapshotId,
    ...result.snapshot.summary,
  };
  try {
    writeFileSync(path, `${JSON.stringify(summary)}\n`);
  } catch (error) {
    // The snapshot is saved: only its figures are missing where they were asked for.
    output.warn(`cannot write the summary to ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    process.exitCode = EXIT.warnings;
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
