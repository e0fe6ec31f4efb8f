import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  applyRetention,
  describeGroup,
  parseGroupBy,
  parseKeepCount,
  validatePolicy,
  type RetentionPolicy,
} from '../src/index.js';
import { rejectsWithKind } from './helpers.js';
import { candidates, retentionTable } from './retention-table.js';

const MIXED = [
  { time: '2026-01-01T00:00:00Z', host: 'nas', paths: ['/a', '/b'] },
  { time: '2026-01-02T00:00:00Z', host: 'nas', paths: ['/b', '/a'], tags: ['manual'] },
  { time: '2026-01-03T00:00:00Z', host: 'laptop', paths: ['/a', '/b'] },
  { time: '2026-01-04T00:00:00Z', host: 'laptop', paths: ['/home'], tags: ['manual'] },
  { time: '2026-01-05T00:00:00Z', host: 'nas', paths: ['/home'] },
];

describe('group-by', () => {
  retentionTable([
    {
      name: 'host,paths (the default): path order does not matter, tags do not split',
      snapshots: MIXED,
      policy: { keepLast: 1 },
      kept: ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'],
    },
    {
      name: 'host only',
      snapshots: MIXED,
      policy: { keepLast: 1 },
      groupBy: 'host',
      kept: ['2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'],
    },
    {
      name: 'tags only',
      snapshots: MIXED,
      policy: { keepLast: 1 },
      groupBy: 'tags',
      kept: ['2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'],
    },
    {
      name: 'host,paths,tags',
      snapshots: MIXED,
      policy: { keepLast: 1 },
      groupBy: 'tags,paths,host',
      kept: MIXED.map((snapshot) => snapshot.time),
    },
    {
      name: 'nothing: one group',
      snapshots: MIXED,
      policy: { keepLast: 2 },
      groupBy: '',
      kept: ['2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'],
    },
  ]);

  test('groups come in a stable order and describe themselves', () => {
    const describe = (groupBy: string) =>
      applyRetention(candidates(MIXED), { keepLast: 1 }, { groupBy, timeZone: 'UTC' }).map((group) =>
        describeGroup(group.key),
      );
    assert.deepEqual(describe('host,paths'), [
      'host laptop, paths /a /b',
      'host laptop, paths /home',
      'host nas, paths /a /b',
      'host nas, paths /home',
    ]);
    assert.deepEqual(describe('tags'), ['tags (none)', 'tags manual']);
    assert.deepEqual(describe(''), ['all snapshots']);
  });

  test('an unknown field is a usage error', async () => {
    const error = await rejectsWithKind(() => parseGroupBy('host,hosts'), 'usage');
    assert.match(error.message, /cannot group by "hosts"/);
    assert.deepEqual(parseGroupBy(' paths , host '), ['host', 'paths']);
  });

  test('each group keeps its own newest snapshot, whatever the policy says', () => {
    const [laptop, nas] = applyRetention(
      candidates(MIXED),
      { keepTags: ['never'] },
      { groupBy: 'host', timeZone: 'UTC' },
    );
    assert.deepEqual(
      [laptop, nas].map((group) => group!.decisions.filter((d) => d.keep).map((d) => [d.time, d.reasons])),
      [[['2026-01-04T00:00:00Z', ['newest']]], [['2026-01-05T00:00:00Z', ['newest']]]],
    );
  });

  test('a snapshot whose time cannot be read is kept and says why', () => {
    const [group] = applyRetention(candidates(['garbage', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']), {
      keepLast: 1,
    });
    assert.deepEqual(
      group!.decisions.map((d) => [d.time, d.keep, d.reasons]),
      [
        ['garbage', true, ['time unreadable']],
        ['2026-01-01T00:00:00Z', false, []],
        ['2026-01-02T00:00:00Z', true, ['last 1']],
      ],
    );
  });

  test('no snapshots, no groups', () => {
    assert.deepEqual(applyRetention([], { keepLast: 1 }), []);
  });
});

describe('invalid policies are usage errors, never applied', () => {
  const invalid: [string, RetentionPolicy, RegExp][] = [
    ['no rule at all', {}, /no keep rule given, refusing to forget every snapshot/],
    ['only zero counts', { keepLast: 0, keepDaily: 0 }, /no keep rule given/],
    ['an empty tag list', { keepTags: [] }, /no keep rule given/],
    ['keep-daily -1', { keepDaily: -1 }, /--keep-daily must be a whole number of 0 or more, or "unlimited"/],
    ['keep-last 1.5', { keepLast: 1.5 }, /--keep-last must be a whole number/],
    ['keep-weekly NaN', { keepWeekly: Number.NaN }, /--keep-weekly must be a whole number/],
    ['keep-within without unit', { keepWithin: '30' }, /"30" is not a duration/],
    ['keep-within with an unknown unit', { keepWithin: '30x' }, /unknown unit "x"/],
    ['keep-within zero', { keepWithin: '0d' }, /keep-within "0d" is zero/],
    ['an empty tag', { keepTags: ['daily,'] }, /keep-tag "daily," has an empty tag name/],
    ['a policy pair without colon', { retentionPolicy: '1W1D' }, /"1W1D" is not one TIMEFRAME:INTERVAL pair/],
    ['a policy with an unknown unit', { retentionPolicy: '1W:1d' }, /unknown unit "d"/],
    ['frames not ascending', { retentionPolicy: '4W:1W,1W:1D' }, /must grow from left to right/],
  ];
  for (const [name, policy, message] of invalid) {
    test(name, async () => {
      const error = await rejectsWithKind(() => validatePolicy(policy), 'usage');
      assert.match(error.message, message);
      await rejectsWithKind(() => applyRetention(candidates(['2026-01-01T00:00:00Z']), policy), 'usage');
    });
  }

  test('an unknown time zone', async () => {
    const error = await rejectsWithKind(
      () => applyRetention([], { keepLast: 1 }, { timeZone: 'Europe/Atlantis' }),
      'usage',
    );
    assert.match(error.message, /"Europe\/Atlantis" is not a time zone/);
  });

  test('counts as typed on the command line', async () => {
    assert.equal(parseKeepCount('3', 'keepDaily'), 3);
    assert.equal(parseKeepCount('0', 'keepDaily'), 0);
    assert.equal(parseKeepCount('Unlimited', 'keepDaily'), 'unlimited');
    for (const text of ['-1', 'abc', '1.5', '', '3d']) {
      const error = await rejectsWithKind(() => parseKeepCount(text, 'keepDaily'), 'usage');
      assert.match(
        error.message,
        new RegExp(`--keep-daily must be .* \\(got "${text.replace('.', '\\.')}"\\)`),
      );
    }
  });
});
