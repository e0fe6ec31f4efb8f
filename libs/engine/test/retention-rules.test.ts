import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyRetention } from '../src/index.js';
import { candidates, retentionTable } from './retention-table.js';

// Five instants around a month end, bucketed by day in three zones (see the daily rows).
const MONTH_END = [
  '2026-01-30T10:00:00Z',
  '2026-01-31T03:00:00Z', // Berlin 04:00 Jan 31; New York 22:00 Jan 30
  '2026-01-31T23:30:00Z', // Berlin 00:30 Feb 1;  New York 18:30 Jan 31
  '2026-02-01T04:00:00Z', // Berlin 05:00 Feb 1;  New York 23:00 Jan 31
  '2026-02-01T09:00:00Z', // Berlin 10:00 Feb 1;  New York 04:00 Feb 1
];

describe('keep-last', () => {
  retentionTable([
    {
      name: 'keeps the n newest',
      snapshots: [
        '2026-01-01T00:00:00Z',
        '2026-01-02T00:00:00Z',
        '2026-01-03T00:00:00Z',
        '2026-01-04T00:00:00Z',
      ],
      policy: { keepLast: 2 },
      kept: ['2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z'],
      reasons: { '2026-01-04T00:00:00Z': ['last 2'], '2026-01-01T00:00:00Z': [] },
    },
    {
      name: 'keeps everything when there are fewer snapshots than n',
      snapshots: ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
      policy: { keepLast: 10 },
      kept: ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
    },
    {
      name: 'unlimited keeps everything',
      snapshots: ['2020-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
      policy: { keepLast: 'unlimited' },
      kept: ['2020-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
      reasons: { '2020-01-01T00:00:00Z': ['last unlimited'] },
    },
  ]);
});

describe('keep-hourly', () => {
  retentionTable([
    {
      name: 'keeps the newest snapshot of each of the last n hours',
      snapshots: [
        '2026-05-01T10:05:00Z',
        '2026-05-01T10:55:00Z',
        '2026-05-01T11:10:00Z',
        '2026-05-01T11:50:00Z',
        '2026-05-01T12:01:00Z',
      ],
      policy: { keepHourly: 2 },
      kept: ['2026-05-01T11:50:00Z', '2026-05-01T12:01:00Z'],
      reasons: { '2026-05-01T11:50:00Z': ['hourly 2026-05-01 11:00'] },
    },
    {
      name: 'with counts left over, the oldest snapshot is kept too (restic 0.17)',
      snapshots: [
        '2026-05-01T10:05:00Z',
        '2026-05-01T10:55:00Z',
        '2026-05-01T11:10:00Z',
        '2026-05-01T12:01:00Z',
      ],
      policy: { keepHourly: 5 },
      kept: ['2026-05-01T10:05:00Z', '2026-05-01T10:55:00Z', '2026-05-01T11:10:00Z', '2026-05-01T12:01:00Z'],
      reasons: {
        '2026-05-01T10:05:00Z': ['hourly 2026-05-01 10:00 (oldest)'],
        '2026-05-01T10:55:00Z': ['hourly 2026-05-01 10:00'],
      },
    },
    {
      name: 'the repeated hour of a fall-back night is one bucket on the wall clock (New York)',
      snapshots: ['2026-11-01T04:30:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:45:00Z'],
      zone: 'America/New_York', // 00:30 EDT, 01:30 EDT, 01:45 EST
      policy: { keepHourly: 2 },
      kept: ['2026-11-01T04:30:00Z', '2026-11-01T06:45:00Z'],
      reasons: { '2026-11-01T06:45:00Z': ['hourly 2026-11-01 01:00'] },
    },
  ]);
});

describe('keep-daily', () => {
  retentionTable([
    {
      name: 'days in UTC',
      snapshots: MONTH_END,
      policy: { keepDaily: 2 },
      zone: 'UTC',
      kept: ['2026-01-31T23:30:00Z', '2026-02-01T09:00:00Z'],
      reasons: { '2026-01-31T23:30:00Z': ['daily 2026-01-31'] },
    },
    {
      name: 'the same instants in Europe/Berlin keep other snapshots',
      snapshots: MONTH_END,
      policy: { keepDaily: 2 },
      zone: 'Europe/Berlin',
      kept: ['2026-01-31T03:00:00Z', '2026-02-01T09:00:00Z'],
      reasons: { '2026-01-31T03:00:00Z': ['daily 2026-01-31'], '2026-02-01T09:00:00Z': ['daily 2026-02-01'] },
    },
    {
      name: 'and in America/New_York others again',
      snapshots: MONTH_END,
      policy: { keepDaily: 2 },
      zone: 'America/New_York',
      kept: ['2026-02-01T04:00:00Z', '2026-02-01T09:00:00Z'],
      reasons: { '2026-02-01T04:00:00Z': ['daily 2026-01-31'] },
    },
    {
      name: 'a spring-forward day is one day (Europe/Berlin, 2026-03-29 has 23 hours)',
      snapshots: [
        '2026-03-28T22:30:00Z', // 23:30 CET Mar 28
        '2026-03-28T23:30:00Z', // 00:30 CET Mar 29
        '2026-03-29T01:30:00Z', // 03:30 CEST Mar 29
        '2026-03-29T21:30:00Z', // 23:30 CEST Mar 29
        '2026-03-29T22:30:00Z', // 00:30 CEST Mar 30
      ],
      policy: { keepDaily: 3 },
      zone: 'Europe/Berlin',
      kept: ['2026-03-28T22:30:00Z', '2026-03-29T21:30:00Z', '2026-03-29T22:30:00Z'],
      reasons: { '2026-03-29T21:30:00Z': ['daily 2026-03-29'] },
    },
    {
      name: 'the same night in UTC, where the oldest snapshot fills the count left over',
      snapshots: [
        '2026-03-28T22:30:00Z',
        '2026-03-28T23:30:00Z',
        '2026-03-29T01:30:00Z',
        '2026-03-29T21:30:00Z',
        '2026-03-29T22:30:00Z',
      ],
      policy: { keepDaily: 3 },
      zone: 'UTC',
      kept: ['2026-03-28T22:30:00Z', '2026-03-28T23:30:00Z', '2026-03-29T22:30:00Z'],
      reasons: { '2026-03-28T22:30:00Z': ['daily 2026-03-28 (oldest)'] },
    },
    {
      name: 'leap day is a day of its own',
      snapshots: [
        '2024-02-28T12:00:00Z',
        '2024-02-29T08:00:00Z',
        '2024-02-29T20:00:00Z',
        '2024-03-01T12:00:00Z',
      ],
      policy: { keepDaily: 3 },
      kept: ['2024-02-28T12:00:00Z', '2024-02-29T20:00:00Z', '2024-03-01T12:00:00Z'],
      reasons: { '2024-02-29T20:00:00Z': ['daily 2024-02-29'] },
    },
    {
      name: 'unlimited keeps one per day, all the way back',
      snapshots: [
        '2020-01-01T01:00:00Z',
        '2020-01-01T02:00:00Z',
        '2023-06-01T00:00:00Z',
        '2026-01-01T00:00:00Z',
      ],
      policy: { keepDaily: 'unlimited' },
      kept: ['2020-01-01T02:00:00Z', '2023-06-01T00:00:00Z', '2026-01-01T00:00:00Z', '2020-01-01T01:00:00Z'],
      reasons: { '2020-01-01T01:00:00Z': ['daily 2020-01-01 (oldest)'] },
    },
  ]);
});

describe('keep-weekly (ISO weeks)', () => {
  retentionTable([
    {
      name: 'Jan 1 2027 (a Friday) is in week 53 of 2026; Monday Jan 4 starts 2027-W01',
      snapshots: [
        '2026-12-27T12:00:00Z', // Sunday, 2026-W52
        '2026-12-28T12:00:00Z', // Monday, 2026-W53
        '2027-01-01T12:00:00Z', // Friday, 2026-W53
        '2027-01-03T12:00:00Z', // Sunday, 2026-W53
        '2027-01-04T12:00:00Z', // Monday, 2027-W01
      ],
      policy: { keepWeekly: 2 },
      kept: ['2027-01-03T12:00:00Z', '2027-01-04T12:00:00Z'],
      reasons: { '2027-01-03T12:00:00Z': ['weekly 2026-W53'], '2027-01-04T12:00:00Z': ['weekly 2027-W01'] },
    },
    {
      name: 'Monday Dec 30 2024 belongs to 2025-W01',
      snapshots: ['2024-12-29T12:00:00Z', '2024-12-30T12:00:00Z', '2025-01-05T12:00:00Z'],
      policy: { keepWeekly: 2 },
      kept: ['2024-12-29T12:00:00Z', '2025-01-05T12:00:00Z'],
      reasons: { '2024-12-29T12:00:00Z': ['weekly 2024-W52'], '2025-01-05T12:00:00Z': ['weekly 2025-W01'] },
    },
    {
      name: 'the week turns at local midnight: Sunday 23:30 UTC is Monday in Berlin',
      snapshots: ['2026-06-07T12:00:00Z', '2026-06-07T23:30:00Z', '2026-06-08T12:00:00Z'],
      policy: { keepWeekly: 2 },
      zone: 'Europe/Berlin',
      kept: ['2026-06-07T12:00:00Z', '2026-06-08T12:00:00Z'],
      reasons: { '2026-06-07T12:00:00Z': ['weekly 2026-W23'] },
    },
  ]);
});

// Instants around the end of January and of February.
const FEBRUARY = [
  '2026-01-31T12:00:00Z',
  '2026-01-31T23:59:59Z', // Berlin: Feb 1
  '2026-02-01T00:00:00Z',
  '2026-02-28T23:00:00Z', // Berlin: Mar 1, 00:00
  '2026-02-28T23:30:00Z', // Berlin: Mar 1, 00:30
];

describe('keep-monthly', () => {
  retentionTable([
    {
      name: 'Jan 31 → Feb in UTC',
      snapshots: FEBRUARY,
      policy: { keepMonthly: 2 },
      kept: ['2026-01-31T23:59:59Z', '2026-02-28T23:30:00Z'],
      reasons: { '2026-01-31T23:59:59Z': ['monthly 2026-01'], '2026-02-28T23:30:00Z': ['monthly 2026-02'] },
    },
    {
      name: 'the same instants in Europe/Berlin fall into February and March',
      snapshots: FEBRUARY,
      policy: { keepMonthly: 2 },
      zone: 'Europe/Berlin',
      kept: ['2026-02-01T00:00:00Z', '2026-02-28T23:30:00Z'],
      reasons: { '2026-02-01T00:00:00Z': ['monthly 2026-02'], '2026-02-28T23:30:00Z': ['monthly 2026-03'] },
    },
  ]);
});

const NEW_YEAR = [
  '2025-12-31T23:00:00Z',
  '2025-12-31T23:59:59Z',
  '2026-01-01T00:00:00Z',
  '2026-06-01T12:00:00Z',
];

describe('keep-yearly', () => {
  retentionTable([
    {
      name: 'Dec 31 → Jan 1 in UTC',
      snapshots: NEW_YEAR,
      policy: { keepYearly: 2 },
      kept: ['2025-12-31T23:59:59Z', '2026-06-01T12:00:00Z'],
      reasons: { '2025-12-31T23:59:59Z': ['yearly 2025'] },
    },
    {
      name: 'in Berlin all of them are 2026, so only the newest and (count left) the oldest stay',
      snapshots: NEW_YEAR,
      policy: { keepYearly: 2 },
      zone: 'Europe/Berlin',
      kept: ['2025-12-31T23:00:00Z', '2026-06-01T12:00:00Z'],
      reasons: { '2025-12-31T23:00:00Z': ['yearly 2026 (oldest)'] },
    },
    {
      name: 'in New York midnight UTC is still 2025',
      snapshots: NEW_YEAR,
      policy: { keepYearly: 2 },
      zone: 'America/New_York',
      kept: ['2026-01-01T00:00:00Z', '2026-06-01T12:00:00Z'],
      reasons: { '2026-01-01T00:00:00Z': ['yearly 2025'] },
    },
  ]);
});

describe('keep-within', () => {
  retentionTable([
    {
      name: 'counts back from the latest snapshot, not from now; the boundary itself is out',
      snapshots: [
        '2026-01-01T12:00:00Z',
        '2026-01-30T12:00:00Z', // exactly 30 days before the latest
        '2026-01-30T12:00:01Z',
        '2026-02-10T12:00:00Z',
        '2026-03-01T12:00:00Z',
      ],
      policy: { keepWithin: '30d' },
      now: '2026-12-01T00:00:00Z',
      kept: ['2026-01-30T12:00:01Z', '2026-02-10T12:00:00Z', '2026-03-01T12:00:00Z'],
      reasons: { '2026-01-30T12:00:01Z': ['within 30d'] },
    },
    {
      name: 'one month before Mar 31 is Feb 28 (clamped), not Mar 3',
      snapshots: [
        '2026-02-28T09:00:00Z',
        '2026-02-28T10:00:01Z',
        '2026-03-02T10:00:00Z',
        '2026-03-31T10:00:00Z',
      ],
      policy: { keepWithin: '1m' },
      now: '2026-04-01T00:00:00Z',
      kept: ['2026-02-28T10:00:01Z', '2026-03-02T10:00:00Z', '2026-03-31T10:00:00Z'],
    },
    {
      name: 'one year before a leap day is Feb 28',
      snapshots: ['2023-02-28T11:59:59Z', '2023-02-28T12:00:01Z', '2024-02-29T12:00:00Z'],
      policy: { keepWithin: '1y' },
      now: '2024-03-01T00:00:00Z',
      kept: ['2023-02-28T12:00:01Z', '2024-02-29T12:00:00Z'],
    },
    {
      name: '2y5m7d3h: calendar parts first, then hours',
      snapshots: ['2024-01-08T08:59:59Z', '2024-01-08T09:00:01Z', '2026-06-15T12:00:00Z'],
      policy: { keepWithin: '2y5m7d3h' },
      now: '2026-06-16T00:00:00Z',
      kept: ['2024-01-08T09:00:01Z', '2026-06-15T12:00:00Z'],
      reasons: { '2024-01-08T09:00:01Z': ['within 2y5m7d3h'] },
    },
    {
      name: 'a day is a calendar day across daylight saving (Berlin, Mar 29 has 23 hours)',
      snapshots: ['2026-03-29T06:59:00Z', '2026-03-29T07:01:00Z', '2026-03-30T07:00:00Z'],
      policy: { keepWithin: '1d' },
      zone: 'Europe/Berlin', // the latest is 09:00 CEST Mar 30; one day before is 09:00 CEST Mar 29 = 07:00Z
      now: '2026-04-01T00:00:00Z',
      kept: ['2026-03-29T07:01:00Z', '2026-03-30T07:00:00Z'],
    },
    {
      name: 'a snapshot dated in the future is not the latest',
      snapshots: [
        '2026-02-20T00:00:00Z',
        '2026-02-25T00:00:00Z',
        '2026-02-28T00:00:00Z',
        '2027-01-01T00:00:00Z',
      ],
      policy: { keepWithin: '7d' },
      now: '2026-03-01T00:00:00Z',
      kept: ['2026-02-25T00:00:00Z', '2026-02-28T00:00:00Z', '2027-01-01T00:00:00Z'],
    },
  ]);
});

describe('keep-tag', () => {
  const tagged = [
    { time: '2026-01-01T00:00:00Z', tags: ['monthly'] },
    { time: '2026-01-02T00:00:00Z', tags: ['daily'] },
    { time: '2026-01-03T00:00:00Z', tags: ['daily', 'offsite'] },
    { time: '2026-01-04T00:00:00Z', tags: ['offsite'] },
    { time: '2026-01-05T00:00:00Z', tags: [] },
  ];
  retentionTable([
    {
      name: 'keeps tagged snapshots (and the newest, always)',
      snapshots: tagged,
      policy: { keepTags: ['monthly'] },
      kept: ['2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z'],
      reasons: { '2026-01-01T00:00:00Z': ['tag monthly'], '2026-01-05T00:00:00Z': ['newest'] },
    },
    {
      name: 'a comma-separated list needs every tag',
      snapshots: tagged,
      policy: { keepTags: ['daily,offsite'] },
      kept: ['2026-01-03T00:00:00Z', '2026-01-05T00:00:00Z'],
      reasons: { '2026-01-03T00:00:00Z': ['tag daily,offsite'] },
    },
    {
      name: 'repeated, any of the lists keeps',
      snapshots: tagged,
      policy: { keepTags: ['monthly', 'offsite'] },
      kept: ['2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z', '2026-01-05T00:00:00Z'],
    },
  ]);
});

describe('rules together', () => {
  retentionTable([
    {
      name: 'the union of what each rule keeps, with every reason',
      snapshots: [
        { time: '2026-01-01T09:00:00Z', tags: ['monthly'] },
        '2026-01-02T09:00:00Z',
        '2026-01-03T09:00:00Z',
        '2026-01-03T18:00:00Z',
        '2026-01-04T09:00:00Z',
      ],
      policy: { keepLast: 1, keepDaily: 2, keepTags: ['monthly'] },
      kept: ['2026-01-01T09:00:00Z', '2026-01-03T18:00:00Z', '2026-01-04T09:00:00Z'],
      reasons: {
        '2026-01-04T09:00:00Z': ['last 1', 'daily 2026-01-04'],
        '2026-01-03T18:00:00Z': ['daily 2026-01-03'],
        '2026-01-01T09:00:00Z': ['tag monthly'],
        '2026-01-02T09:00:00Z': [],
      },
    },
    {
      name: 'keep-last 0 is off, the other rules still apply',
      snapshots: ['2026-01-01T09:00:00Z', '2026-01-02T09:00:00Z'],
      policy: { keepLast: 0, keepWithin: '1d' },
      kept: ['2026-01-02T09:00:00Z'],
      reasons: { '2026-01-02T09:00:00Z': ['within 1d'] },
    },
  ]);

  test('ties: the snapshot listed later (larger id) counts as newer, and each is decided on its own', () => {
    const snapshots = candidates(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-02T00:00:00Z']);
    const decide = (policy: Parameters<typeof applyRetention>[1]) =>
      applyRetention(snapshots, policy, { timeZone: 'UTC' })[0]!.decisions.map((d) => [
        d.id.slice(-1),
        d.keep,
      ]);
    assert.deepEqual(decide({ keepLast: 1 }), [
      ['0', false],
      ['1', false],
      ['2', true],
    ]);
    assert.deepEqual(decide({ keepLast: 2 }), [
      ['0', false],
      ['1', true],
      ['2', true],
    ]);
    assert.deepEqual(decide({ keepDaily: 1 }), [
      ['0', false],
      ['1', false],
      ['2', true],
    ]);
  });

  test('decisions come oldest first and carry the snapshot fields', () => {
    const [group] = applyRetention(
      candidates([{ time: '2026-01-02T00:00:00Z', tags: ['x'] }, '2026-01-01T00:00:00Z']),
      { keepLast: 1 },
      { timeZone: 'UTC' },
    );
    assert.deepEqual(group!.decisions[0], {
      id: '1'.padStart(64, '0'),
      time: '2026-01-01T00:00:00Z',
      host: 'nas',
      paths: ['/data'],
      tags: [],
      keep: false,
      reasons: [],
    });
    assert.equal(group!.decisions[1]!.keep, true);
  });
});

describe('keep-within-hourly … yearly', () => {
  retentionTable([
    {
      name: 'within-daily: the newest of each day in the window, nothing outside it, no extra oldest',
      snapshots: [
        '2026-01-01T09:00:00Z', // the oldest, outside the window: restic does not keep it here
        '2026-01-05T09:00:00Z', // exactly 3 days before the latest: out
        '2026-01-06T08:00:00Z',
        '2026-01-06T20:00:00Z',
        '2026-01-07T10:00:00Z',
        '2026-01-08T09:00:00Z',
      ],
      policy: { keepWithinDaily: '3d' },
      kept: ['2026-01-06T20:00:00Z', '2026-01-07T10:00:00Z', '2026-01-08T09:00:00Z'],
      reasons: {
        '2026-01-06T08:00:00Z': [],
        '2026-01-06T20:00:00Z': ['daily 2026-01-06 within 3d'],
      },
    },
    {
      name: 'within-hourly: one per hour, measured from the latest snapshot',
      snapshots: [
        '2026-01-01T10:05:00Z',
        '2026-01-01T10:40:00Z',
        '2026-01-01T11:10:00Z',
        '2026-01-01T11:50:00Z',
        '2026-01-01T12:00:00Z',
      ],
      policy: { keepWithinHourly: '2h' },
      kept: ['2026-01-01T10:40:00Z', '2026-01-01T11:50:00Z', '2026-01-01T12:00:00Z'],
      reasons: { '2026-01-01T10:40:00Z': ['hourly 2026-01-01 10:00 within 2h'] },
    },
    {
      name: 'within-yearly counts years in the policy time zone',
      snapshots: ['2025-06-01T12:00:00Z', '2026-01-01T03:00:00Z', '2026-06-01T12:00:00Z'],
      policy: { keepWithinYearly: '5y' },
      zone: 'America/New_York',
      kept: ['2026-01-01T03:00:00Z', '2026-06-01T12:00:00Z'],
      reasons: { '2026-01-01T03:00:00Z': ['yearly 2025 within 5y'] },
    },
    {
      name: 'within-weekly and within-monthly add to the other rules (a union)',
      snapshots: [
        '2026-01-05T09:00:00Z',
        '2026-01-06T09:00:00Z',
        '2026-01-13T09:00:00Z',
        '2026-02-02T09:00:00Z',
      ],
      policy: { keepWithinWeekly: '14d', keepWithinMonthly: '1m', keepLast: 1 },
      kept: ['2026-01-13T09:00:00Z', '2026-02-02T09:00:00Z'],
      reasons: {
        '2026-01-13T09:00:00Z': ['monthly 2026-01 within 1m'],
        '2026-02-02T09:00:00Z': ['last 1', 'weekly 2026-W06 within 14d', 'monthly 2026-02 within 1m'],
      },
    },
  ]);

  test('a zero duration is refused, naming the flag', () => {
    assert.throws(
      () => applyRetention([], { keepWithinWeekly: '0d' }),
      /--keep-within-weekly "0d" is zero: it would keep nothing/,
    );
  });
});
