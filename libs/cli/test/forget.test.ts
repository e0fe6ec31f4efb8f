import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LocalBackend, Repository, RepositoryLock } from '@cairn/engine';
import { fsTree, initRepository, PASSWORD, runCli } from './cli.js';

interface Decision {
  id: string;
  time: string;
  keep: boolean;
  reasons: string[];
}

interface ForgetJson {
  dryRun: boolean;
  timeZone: string;
  removed: string[];
  groups: { key: { host: string; paths: string[] }; decisions: Decision[] }[];
}

// UTC instants; the comments give the day they fall on in Berlin and in New York.
const BACKUPS: [string, string[]][] = [
  ['2026-11-17T10:00:00Z', ['monthly']], // Berlin 17th, New York 17th
  ['2026-11-18T10:00:00Z', []], //          Berlin 18th, New York 18th
  ['2026-11-18T23:30:00Z', []], //          Berlin 19th, New York 18th
  ['2026-11-19T10:00:00Z', []], //          Berlin 19th, New York 19th
  ['2026-11-20T03:00:00Z', []], //          Berlin 20th, New York 19th
];

const POLICY = ['--keep-daily', '2', '--keep-tag', 'monthly'];

describe('cairn forget', () => {
  let repo = '';
  let source = '';
  /** Snapshot id by the time it was made with. */
  const ids = new Map<string, string>();

  const snapshotIds = async () =>
    (JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as { id: string }[])
      .map((snapshot) => snapshot.id)
      .sort();

  const forgetJson = async (...args: string[]): Promise<ForgetJson> => {
    const result = await runCli(['forget', '--repo', repo, ...args, '--json']);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as ForgetJson;
  };

  // One repository for the whole story (the tests run in order); scratchDir needs a test, not a suite.
  let dir = '';
  after(() => fsTree.removeDir(dir));
  before(async () => {
    dir = await fsTree.makeTempDir('cli-forget');
    source = join(dir, 'source');
    repo = join(dir, 'repo');
    await fs.mkdir(source);
    await initRepository(repo);
    for (const [time, tags] of BACKUPS) {
      await fs.writeFile(join(source, 'file.txt'), time);
      const tagArgs = tags.flatMap((tag) => ['--tag', tag]);
      const backup = await runCli([
        'backup',
        '--repo',
        repo,
        source,
        '--host',
        'nas',
        '--time',
        time,
        ...tagArgs,
      ]);
      assert.equal(backup.code, 0, backup.stderr);
    }
    const listed = JSON.parse((await runCli(['snapshots', '--repo', repo, '--json'])).stdout) as Decision[];
    for (const snapshot of listed)
      ids.set(new Date(snapshot.time).toISOString().replace('.000', ''), snapshot.id);
    assert.equal(ids.size, BACKUPS.length);
  });

  test('--dry-run shows each snapshot with keep/remove and the rules that keep it, and changes nothing', async () => {
    const before = await snapshotIds();
    const result = await runCli([
      'forget',
      '--repo',
      repo,
      ...POLICY,
      '--time-zone',
      'Europe/Berlin',
      '--dry-run',
    ]);
    assert.equal(result.code, 0, result.stderr);
    const row = (time: string, wall: string, rest: string) =>
      new RegExp(`^${ids.get(time)!.slice(0, 8)}  ${wall}\\s+${rest}$`, 'm');
    assert.match(result.stdout, /^times in Europe\/Berlin$/m);
    assert.match(result.stdout, new RegExp(`^host nas, paths ${source}:$`, 'm'));
    assert.match(result.stdout, /^ID\s+Time\s+Tags\s+Action\s+Reasons$/m);
    assert.match(
      result.stdout,
      row('2026-11-17T10:00:00Z', '2026-11-17 11:00:00', 'monthly\\s+keep\\s+tag monthly'),
    );
    assert.match(result.stdout, row('2026-11-18T10:00:00Z', '2026-11-18 11:00:00', 'remove'));
    assert.match(result.stdout, row('2026-11-18T23:30:00Z', '2026-11-19 00:30:00', 'remove'));
    assert.match(
      result.stdout,
      row('2026-11-19T10:00:00Z', '2026-11-19 11:00:00', 'keep\\s+daily 2026-11-19'),
    );
    assert.match(
      result.stdout,
      row('2026-11-20T03:00:00Z', '2026-11-20 04:00:00', 'keep\\s+daily 2026-11-20'),
    );
    assert.match(result.stdout, /^keep 3, would remove 2$/m);
    assert.match(result.stdout, /^dry run: 2 snapshots would be removed, nothing was changed$/m);
    assert.deepEqual(await snapshotIds(), before);
  });

  test('--json gives every decision; the time zone decides the days', async () => {
    const kept = (json: ForgetJson) =>
      json.groups[0]!.decisions.filter((d) => d.keep).map((d) => [d.time.replace('.000', ''), d.reasons]);
    const berlin = await forgetJson(...POLICY, '--time-zone', 'Europe/Berlin', '--dry-run');
    assert.equal(berlin.dryRun, true);
    assert.equal(berlin.timeZone, 'Europe/Berlin');
    assert.deepEqual(berlin.groups[0]!.key, { host: 'nas', paths: [source] });
    assert.deepEqual(kept(berlin), [
      ['2026-11-17T10:00:00Z', ['tag monthly']],
      ['2026-11-19T10:00:00Z', ['daily 2026-11-19']],
      ['2026-11-20T03:00:00Z', ['daily 2026-11-20']],
    ]);
    const newYork = await forgetJson(...POLICY, '--time-zone', 'America/New_York', '--dry-run');
    assert.deepEqual(kept(newYork), [
      ['2026-11-17T10:00:00Z', ['tag monthly']],
      ['2026-11-18T23:30:00Z', ['daily 2026-11-18']],
      ['2026-11-20T03:00:00Z', ['daily 2026-11-19']],
    ]);
    assert.equal(newYork.removed.length, 2);
    const withinDaily = await forgetJson('--keep-within-daily', '2d', '--time-zone', 'UTC', '--dry-run');
    assert.deepEqual(kept(withinDaily), [
      ['2026-11-18T23:30:00Z', ['daily 2026-11-18 within 2d']],
      ['2026-11-19T10:00:00Z', ['daily 2026-11-19 within 2d']],
      ['2026-11-20T03:00:00Z', ['daily 2026-11-20 within 2d']],
    ]);
  });

  test('without any keep rule it refuses, in one line, and removes nothing', async () => {
    const before = await snapshotIds();
    const refusals: [string[], RegExp][] = [
      [
        [],
        /^cairn: no keep rule given, refusing to forget every snapshot: use --keep-last, .* or --retention-policy\n$/,
      ],
      [['--keep-last', '0'], /^cairn: no keep rule given/],
      [
        ['--keep-daily', '-1'],
        /^cairn: --keep-daily must be a whole number of 0 or more, or "unlimited" to keep all \(got "-1"\)\n$/,
      ],
      [
        ['--retention-policy', '1W1D'],
        /^cairn: retention policy "1W1D": "1W1D" is not one TIMEFRAME:INTERVAL pair/,
      ],
      [['--keep-within', '30x'], /^cairn: "30x" is not a duration .*unknown unit "x"\n$/],
      [['--keep-last', '1', '--group-by', 'user'], /^cairn: cannot group by "user"/],
      [['--keep-last', '1', '--time-zone', 'Nowhere/Land'], /^cairn: "Nowhere\/Land" is not a time zone/],
    ];
    for (const [args, message] of refusals) {
      const result = await runCli(['forget', '--repo', repo, ...args]);
      assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(await snapshotIds(), before);
  });

  test('while a backup holds the repository, forget exits 11 naming it; a dry run still works', async () => {
    const before = await snapshotIds();
    const holder = await Repository.open(new LocalBackend(repo), PASSWORD);
    const backupLock = await RepositoryLock.acquire(holder, { exclusive: false });
    try {
      const blocked = await runCli(['forget', '--repo', repo, '--keep-last', '1']);
      assert.equal(blocked.code, 11, blocked.stderr);
      assert.match(blocked.stderr, new RegExp(`^cairn: repository is locked shared by PID ${process.pid} `));
      const dryRun = await runCli(['forget', '--repo', repo, '--keep-last', '1', '--dry-run']);
      assert.equal(dryRun.code, 0, dryRun.stderr);
    } finally {
      await backupLock.release();
      await holder.close();
    }
    assert.deepEqual(await snapshotIds(), before);
  });

  test('forget removes exactly the snapshots it said it would', async () => {
    const planned = await forgetJson(...POLICY, '--time-zone', 'Europe/Berlin', '--dry-run');
    const result = await runCli(['forget', '--repo', repo, ...POLICY, '--time-zone', 'Europe/Berlin']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^keep 3, remove 2$/m);
    assert.match(result.stdout, /^removed 2 snapshots$/m);
    const kept = planned.groups[0]!.decisions.filter((d) => d.keep).map((d) => d.id);
    assert.deepEqual(await snapshotIds(), kept.sort());
    assert.deepEqual(
      planned.removed.sort(),
      [ids.get('2026-11-18T10:00:00Z'), ids.get('2026-11-18T23:30:00Z')].sort(),
    );
  });

  test('--prune frees the data of the forgotten snapshots, and the repository checks clean', async () => {
    const result = await runCli(['forget', '--repo', repo, '--keep-last', '1', '--prune']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^removed 2 snapshots$/m);
    assert.match(result.stdout, /^prune: freed /m);
    assert.deepEqual(await snapshotIds(), [ids.get('2026-11-20T03:00:00Z')]);
    const check = await runCli(['check', '--repo', repo, '--read-data']);
    assert.equal(check.code, 0, check.stderr);
  });
});
