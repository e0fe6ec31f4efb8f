import { Command, CommanderError } from 'commander';
import { CairnError, PROGRAM_VERSION } from '@cairn/engine';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { interruption } from './interruption.js';
import { backendTestCommand } from './commands/backend-test.js';
import { backupCommand } from './commands/backup.js';
import { checkCommand } from './commands/check.js';
import { forgetCommand } from './commands/forget.js';
import { initCommand } from './commands/init.js';
import { keyCommand } from './commands/key.js';
import { copyCommand } from './commands/copy.js';
import { diffCommand } from './commands/diff.js';
import { dumpCommand } from './commands/dump.js';
import { findCommand } from './commands/find.js';
import { lsCommand } from './commands/ls.js';
import { pruneCommand } from './commands/prune.js';
import { repairCommand } from './commands/repair.js';
import { restoreCommand } from './commands/restore.js';
import { snapshotsCommand } from './commands/snapshots.js';
import { statsCommand } from './commands/stats.js';
import { serverCommand } from './commands/server.js';
import { unlockCommand } from './commands/unlock.js';

function program(): Command {
  const root = new Command('cairn')
    .description('Encrypted, deduplicating backups to a folder, with no server needed.')
    .version(PROGRAM_VERSION.replace('cairn ', ''));
  for (const make of [
    initCommand,
    backupCommand,
    snapshotsCommand,
    lsCommand,
    restoreCommand,
    checkCommand,
    statsCommand,
    keyCommand,
    forgetCommand,
    findCommand,
    diffCommand,
    dumpCommand,
    copyCommand,
    pruneCommand,
    repairCommand,
    unlockCommand,
    backendTestCommand,
    serverCommand,
  ]) {
    root.addCommand(make());
  }
  configureTree(root);
  return root;
}

/** Every command, however deep, reports usage errors as one `cairn: …` line and lets main pick the exit code. */
function configureTree(command: Command): void {
  command
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({ outputError: (text, write) => write(`cairn: ${text.replace(/^error: /, '')}`) });
  for (const child of command.commands) configureTree(child);
}

async function main(argv: string[]): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\ncairn: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}, stopping…\n`);
      interruption.abort();
    });
  }
  try {
    await program().parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help text, whose exit code is 0).
    return error.exitCode === 0 ? EXIT.ok : EXIT.fatal;
  }
  if (error instanceof CairnError) {
    process.stderr.write(`cairn: ${error.message}\n`);
    return exitCodeFor(error.kind);
  }
  process.stderr.write(
    `cairn: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  if (process.env.CAIRN_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT.fatal;
}

process.exit(await main(process.argv));
