import { countOf } from '@cairn/contracts';
import { Command } from 'commander';
import {
  describeGroup,
  forget,
  parseGroupBy,
  parseKeepCount,
  prune,
  ShrunkSourceError,
  TimeZone,
  CairnError,
  DEFAULT_SHRINKAGE_PERCENT,
  validatePolicy,
  type ForgetResult,
  type KeepCount,
  type PruneResult,
  type RetentionGroup,
  type RetentionPolicy,
} from '@cairn/engine';
import { formatBytes, shortId, table } from '../format.js';
import { interruption } from '../interruption.js';
import { lockOptions, openRepository, withRepository, type RepositoryFlags } from '../repository-options.js';
import { collect } from './flags.js';

type CountField = 'keepLast' | 'keepHourly' | 'keepDaily' | 'keepWeekly' | 'keepMonthly' | 'keepYearly';

type WithinField =
  'keepWithinHourly' | 'keepWithinDaily' | 'keepWithinWeekly' | 'keepWithinMonthly' | 'keepWithinYearly';

interface ForgetFlags
  extends RepositoryFlags, Partial<Record<CountField, KeepCount>>, Partial<Record<WithinField, string>> {
  keepWithin?: string;
  keepTag: string[];
  retentionPolicy?: string;
  groupBy: string;
  timeZone?: string;
  dryRun?: boolean;
  prune?: boolean;
  json?: boolean;
  force?: boolean;
}

/** The counting rules, as flag, policy field and help text. */
const COUNT_OPTIONS: [string, CountField, string][] = [
  ['--keep-last <n>', 'keepLast', 'keep the n newest snapshots'],
  ['--keep-hourly <n>', 'keepHourly', 'keep the newest snapshot of each of the last n hours that have one'],
  ['--keep-daily <n>', 'keepDaily', 'keep the newest snapshot of each of the last n days that have one'],
  [
    '--keep-weekly <n>',
    'keepWeekly',
    'keep the newest snapshot of each of the last n ISO weeks that have one',
  ],
  [
    '--keep-monthly <n>',
    'keepMonthly',
    'keep the newest snapshot of each of the last n months that have one',
  ],
  ['--keep-yearly <n>', 'keepYearly', 'keep the newest snapshot of each of the last n years that have one'],
];

/** restic's `--keep-within-<bucket> <duration>` flags, as flag, policy field and help text. */
const WITHIN_OPTIONS: [string, WithinField, string][] = (
  [
    ['hourly', 'hour'],
    ['daily', 'day'],
    ['weekly', 'ISO week'],
    ['monthly', 'month'],
    ['yearly', 'year'],
  ] as const
).map(([bucket, unit]) => [
  `--keep-within-${bucket} <duration>`,
  `keepWithin${bucket[0]!.toUpperCase()}${bucket.slice(1)}` as WithinField,
  `keep the newest snapshot of each ${unit} within this duration before the latest one`,
]);

/** What prune should tolerate after a forget: restic's default. */
const PRUNE_MAX_UNUSED = 0.05;

export function forgetCommand(): Command {
  const command = withRepository(new Command('forget')).description(
    'remove the snapshots a retention policy does not keep (the newest of each group is always kept)',
  );
  for (const [flag, field, help] of COUNT_OPTIONS) {
    command.option(flag, `${help} ("unlimited" for all)`, (value: string) => parseKeepCount(value, field));
  }
  command.option(
    '--keep-within <duration>',
    'keep every snapshot newer than this before the latest one (30d, 2y5m7d3h)',
  );
  for (const [flag, , help] of WITHIN_OPTIONS) command.option(flag, help);
  return command
    .option('--keep-tag <tag[,tag]>', 'keep snapshots that have these tags (repeatable)', collect, [])
    .option('--retention-policy <pairs>', 'Duplicati retention policy, e.g. "1W:1D,4W:1W,12M:1M"')
    .option('--group-by <fields>', 'apply the policy per group of host, paths and/or tags', 'host,paths')
    .option('--time-zone <zone>', 'IANA time zone of the hours, days, weeks, … (default: local)')
    .option('-n, --dry-run', 'show what would be removed, remove nothing')
    .option('--prune', 'run prune afterwards, to free the space of the removed snapshots')
    .option('--json', 'print the decisions as JSON')
    .option(
      '--force',
      `forget even when a group's newest snapshot holds none or fewer than ${DEFAULT_SHRINKAGE_PERCENT} % of its parent's files`,
    )
    .action(async (flags: ForgetFlags) => {
      const policy: RetentionPolicy = {
        ...Object.fromEntries(COUNT_OPTIONS.map(([, field]) => [field, flags[field]])),
        keepWithin: flags.keepWithin,
        ...Object.fromEntries(WITHIN_OPTIONS.map(([, field]) => [field, flags[field]])),
        keepTags: flags.keepTag,
        retentionPolicy: flags.retentionPolicy,
      };
      // Every mistake in the policy is reported before the password is asked for.
      validatePolicy(policy);
      parseGroupBy(flags.groupBy);
      const zone = flags.timeZone ? new TimeZone(flags.timeZone) : TimeZone.local();
      const dryRun = flags.dryRun ?? false;
      const repo = await openRepository(flags);
      try {
        const lock = lockOptions(flags);
        const result = await forget(repo, {
          policy,
          groupBy: flags.groupBy,
          timeZone: zone.name,
          dryRun,
          signal: interruption.signal,
          lock,
          ...(flags.force ? {} : { shrinkageThreshold: DEFAULT_SHRINKAGE_PERCENT }),
        }).catch((error: unknown) => {
          if (!(error instanceof ShrunkSourceError)) throw error;
          throw new CairnError('usage', `${error.message} (check the source; --force forgets anyway)`);
        });
        if (!flags.json) printDecisions(result, zone);
        const pruned = flags.prune
          ? await prune(repo, { maxUnused: PRUNE_MAX_UNUSED, dryRun, signal: interruption.signal, lock })
          : undefined;
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...result, timeZone: zone.name, prune: pruned })}\n`);
        } else if (pruned) {
          printPrune(pruned);
        }
      } finally {
        await repo.close();
      }
    });
}

function printDecisions(result: ForgetResult, zone: TimeZone): void {
  const out = [`times in ${zone.name}`, ''];
  if (result.groups.length === 0) out.push('no snapshots yet');
  for (const group of result.groups) {
    out.push(`${describeGroup(group.key)}:`, groupTable(group, zone));
    const removed = group.decisions.filter((decision) => !decision.keep).length;
    out.push(
      `keep ${group.decisions.length - removed}, ${result.dryRun ? 'would remove' : 'remove'} ${removed}`,
      '',
    );
  }
  const count = countOf(result.removed.length, 'snapshot');
  out.push(result.dryRun ? `dry run: ${count} would be removed, nothing was changed` : `removed ${count}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** One row per snapshot, oldest first; host and paths only when the group does not fix them. */
function groupTable(group: RetentionGroup, zone: TimeZone): string {
  const showHost = group.key.host === undefined;
  const showPaths = group.key.paths === undefined;
  const header = ['ID', 'Time', ...(showHost ? ['Host'] : []), 'Tags', ...(showPaths ? ['Paths'] : [])];
  const rows = group.decisions.map((decision) => [
    shortId(decision.id),
    wallTime(decision.time, zone),
    ...(showHost ? [decision.host] : []),
    decision.tags.join(','),
    ...(showPaths ? [decision.paths.join(' ')] : []),
    decision.keep ? 'keep' : 'remove',
    decision.reasons.join(', '),
  ]);
  return table([[...header, 'Action', 'Reasons'], ...rows]);
}

/** The time as the buckets see it: in the policy's zone, to the second. */
function wallTime(time: string, zone: TimeZone): string {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return time;
  const wall = zone.wallClock(ms);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${two(wall.month)}-${two(wall.day)} ${two(wall.hour)}:${two(wall.minute)}:${two(wall.second)}`;
}

function printPrune(result: PruneResult): void {
  const verb = result.dryRun ? 'would free' : 'freed';
  process.stdout.write(
    `prune: ${verb} ${formatBytes(result.bytesFreed)} (${countOf(result.packsDeleted, 'pack')} deleted, ` +
      `${result.packsRepacked} repacked)${result.dryRun ? '; the dry run sees the snapshots above still present' : ''}\n`,
  );
}
