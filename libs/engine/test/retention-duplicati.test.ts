import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDuplicatiPolicy } from '../src/index.js';
import { rejectsWithKind } from './helpers.js';
import { retentionTable, span } from './retention-table.js';

describe('Duplicati retention policy: parsing', () => {
  test('the UI\'s "smart retention"', () => {
    assert.deepEqual(parseDuplicatiPolicy('1W:1D,4W:1W,12M:1M'), [
      { text: '1W:1D', timeframe: span({ weeks: 1 }), interval: span({ days: 1 }) },
      { text: '4W:1W', timeframe: span({ weeks: 4 }), interval: span({ weeks: 1 }) },
      { text: '12M:1M', timeframe: span({ months: 12 }), interval: span({ months: 1 }) },
    ]);
  });

  const keepAll: [string, string, boolean][] = [
    ['U:1M', 'U:1M', false],
    ['7D:U', '7D:U', true],
    ['7D:0s', '7D:0s', true],
    ['u:u', 'u:u', true],
  ];
  for (const [text, shown, all] of keepAll) {
    test(`"${text}": U as timeframe is unlimited; U or 0s as interval keeps all`, () => {
      const [frame] = parseDuplicatiPolicy(text);
      assert.equal(frame!.text, shown);
      assert.equal(frame!.interval === undefined, all);
      if (text.toUpperCase().startsWith('U')) assert.equal(frame!.timeframe, undefined);
    });
  }

  test('spaces and a trailing comma are tolerated', () => {
    assert.deepEqual(
      parseDuplicatiPolicy(' 1W:1D , 4W : 1W ,').map((frame) => frame.text),
      ['1W:1D', '4W:1W'],
    );
  });

  const invalid: [string, RegExp][] = [
    ['', /no TIMEFRAME:INTERVAL pair/],
    ['1W1D', /"1W1D" is not one TIMEFRAME:INTERVAL pair/],
    ['7D:1D:5h', /"7D:1D:5h" is not one TIMEFRAME:INTERVAL pair/],
    ['abc', /not one TIMEFRAME:INTERVAL pair/],
    ['1w:1D', /unknown unit "w"/],
    ['1W:1X', /unknown unit "X"/],
    ['1W:D', /cannot read "D"/],
    ['4W:1W,1W:1D', /must grow from left to right, but "1W:1D" follows "4W:1W"/],
    ['1W:1D,1W:1h', /must grow/],
    ['12M:1M,1Y:1W', /must grow/],
    ['U:1D,1Y:1M', /must grow/],
    ['1W:1W', /in "1W:1W" the interval is not shorter than the timeframe/],
    ['1D:2D', /not shorter/],
    ['0D:U', /the timeframe of "0D:U" is zero/],
  ];
  for (const [text, message] of invalid) {
    test(`"${text}" is refused`, async () => {
      const error = await rejectsWithKind(() => parseDuplicatiPolicy(text), 'usage');
      assert.match(error.message, message);
    });
  }
});

/** Daily snapshots at 02:00 UTC from `first` to `last` (inclusive). */
function dailyAt2(first: string, last: string): string[] {
  const times: string[] = [];
  for (let ms = Date.parse(`${first}T02:00:00Z`); ms <= Date.parse(`${last}T02:00:00Z`); ms += 86_400_000) {
    times.push(new Date(ms).toISOString());
  }
  return times;
}

const at2 = (dates: string[]) => dates.map((date) => `${date}T02:00:00.000Z`);

describe('Duplicati retention policy: what it keeps', () => {
  retentionTable([
    {
      name: 'smart retention over 14 months of daily backups',
      snapshots: dailyAt2('2025-01-01', '2026-03-01'),
      policy: { retentionPolicy: '1W:1D,4W:1W,12M:1M' },
      now: '2026-03-01T03:00:00Z',
      kept: at2([
        // 12M:1M — the oldest in the frame (the frame starts 2025-03-01 03:00), then one per month
        '2025-03-02',
        '2025-04-02',
        '2025-05-02',
        '2025-06-02',
        '2025-07-02',
        '2025-08-02',
        '2025-09-02',
        '2025-10-02',
        '2025-11-02',
        '2025-12-02',
        '2026-01-02',
        // 4W:1W — starts 2026-02-01 03:00; what 1W:1D covers is not in it
        '2026-02-02',
        '2026-02-09',
        '2026-02-16',
        // 1W:1D — starts 2026-02-22 03:00
        '2026-02-23',
        '2026-02-24',
        '2026-02-25',
        '2026-02-26',
        '2026-02-27',
        '2026-02-28',
        // the newest, set aside from every frame
        '2026-03-01',
      ]),
      reasons: {
        '2026-03-01T02:00:00.000Z': ['newest'],
        '2026-02-28T02:00:00.000Z': ['policy 1W:1D'],
        '2026-02-09T02:00:00.000Z': ['policy 4W:1W'],
        '2025-03-02T02:00:00.000Z': ['policy 12M:1M'],
        '2025-03-01T02:00:00.000Z': [],
      },
    },
    {
      name: 'inside a frame: the oldest, then the first at least one interval after the last kept',
      snapshots: [
        '2026-05-08T12:00:00Z', // outside the frame
        '2026-05-10T09:00:00Z',
        '2026-05-10T09:20:00Z',
        '2026-05-10T09:40:00Z',
        '2026-05-10T10:00:00Z', // exactly one hour after 09:00: kept
        '2026-05-10T10:30:00Z',
        '2026-05-10T11:05:00Z',
        '2026-05-10T11:50:00Z',
      ],
      policy: { retentionPolicy: '1D:1h' },
      now: '2026-05-10T12:00:00Z',
      kept: ['2026-05-10T09:00:00Z', '2026-05-10T10:00:00Z', '2026-05-10T11:05:00Z', '2026-05-10T11:50:00Z'],
      reasons: { '2026-05-10T09:00:00Z': ['policy 1D:1h'], '2026-05-10T11:50:00Z': ['newest'] },
    },
    {
      name: 'the start of a frame is inside it',
      snapshots: ['2026-05-09T11:59:59Z', '2026-05-09T12:00:00Z', '2026-05-10T10:00:00Z'],
      policy: { retentionPolicy: '1D:U' },
      now: '2026-05-10T12:00:00Z',
      kept: ['2026-05-09T12:00:00Z', '2026-05-10T10:00:00Z'],
    },
    {
      name: 'a snapshot belongs to the smallest frame; the next frame thins from its own oldest',
      snapshots: [
        '2026-05-03T11:00:00Z', // older than 1W
        '2026-05-04T12:00:00Z', // oldest of 1W:1D
        '2026-05-05T06:00:00Z', // < 1 day after
        '2026-05-05T13:00:00Z', // ≥ 1 day after 05-04 12:00
        '2026-05-06T12:00:00Z', // < 1 day after 05-05 13:00
        '2026-05-07T14:00:00Z',
        '2026-05-09T13:00:00Z', // inside 1D:U
        '2026-05-10T08:00:00Z',
        '2026-05-10T11:00:00Z', // newest
      ],
      policy: { retentionPolicy: '1D:U,1W:1D' },
      now: '2026-05-10T12:00:00Z',
      kept: [
        '2026-05-04T12:00:00Z',
        '2026-05-05T13:00:00Z',
        '2026-05-07T14:00:00Z',
        '2026-05-09T13:00:00Z',
        '2026-05-10T08:00:00Z',
        '2026-05-10T11:00:00Z',
      ],
      reasons: { '2026-05-09T13:00:00Z': ['policy 1D:U'], '2026-05-05T13:00:00Z': ['policy 1W:1D'] },
    },
    {
      name: 'an unlimited timeframe thins but never drops by age',
      snapshots: [
        '2010-03-01T00:00:00Z',
        '2010-06-01T00:00:00Z',
        '2011-02-28T00:00:00Z',
        '2011-03-01T00:00:00Z',
        '2020-01-01T00:00:00Z',
        '2026-05-01T00:00:00Z',
      ],
      policy: { retentionPolicy: 'U:1Y' },
      now: '2026-05-10T00:00:00Z',
      kept: ['2010-03-01T00:00:00Z', '2011-03-01T00:00:00Z', '2020-01-01T00:00:00Z', '2026-05-01T00:00:00Z'],
      reasons: { '2011-03-01T00:00:00Z': ['policy U:1Y'] },
    },
    {
      name: "months are calendar months: 1M before Mar 15 is Feb 15 (Duplicati's fixed 31 days would reach Feb 12)",
      snapshots: ['2026-02-13T12:00:00Z', '2026-02-15T12:00:00Z', '2026-03-15T00:00:00Z'],
      policy: { retentionPolicy: '1M:U' },
      now: '2026-03-15T12:00:00Z',
      kept: ['2026-02-15T12:00:00Z', '2026-03-15T00:00:00Z'],
    },
    {
      name: 'a 1D interval is a calendar day: 09:00 daily in Berlin survives the 23-hour day',
      snapshots: [
        '2026-03-27T08:00:00Z',
        '2026-03-28T08:00:00Z',
        '2026-03-29T07:00:00Z', // 09:00 CEST, 23 hours after the one before
        '2026-03-30T07:00:00Z',
        '2026-03-31T07:00:00Z',
      ],
      policy: { retentionPolicy: '1W:1D' },
      zone: 'Europe/Berlin',
      now: '2026-03-31T12:00:00Z',
      kept: [
        '2026-03-27T08:00:00Z',
        '2026-03-28T08:00:00Z',
        '2026-03-29T07:00:00Z',
        '2026-03-30T07:00:00Z',
        '2026-03-31T07:00:00Z',
      ],
    },
    {
      name: 'the same instants counted in UTC lose the one 23 hours after the last kept',
      snapshots: [
        '2026-03-27T08:00:00Z',
        '2026-03-28T08:00:00Z',
        '2026-03-29T07:00:00Z',
        '2026-03-30T07:00:00Z',
        '2026-03-31T07:00:00Z',
      ],
      policy: { retentionPolicy: '1W:1D' },
      zone: 'UTC',
      now: '2026-03-31T12:00:00Z',
      kept: ['2026-03-27T08:00:00Z', '2026-03-28T08:00:00Z', '2026-03-30T07:00:00Z', '2026-03-31T07:00:00Z'],
    },
    {
      name: 'the newest snapshot stays even when it is older than every frame',
      snapshots: ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'],
      policy: { retentionPolicy: '1D:U' },
      now: '2026-05-10T00:00:00Z',
      kept: ['2026-02-01T00:00:00Z'],
      reasons: { '2026-02-01T00:00:00Z': ['newest'] },
    },
    {
      name: 'combined with keep-last, the union is kept',
      snapshots: [
        '2025-12-01T00:00:00Z',
        '2026-01-01T00:00:00Z',
        '2026-02-01T00:00:00Z',
        '2026-05-09T00:00:00Z',
      ],
      policy: { retentionPolicy: '1W:U', keepLast: 3 },
      now: '2026-05-10T00:00:00Z',
      kept: ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-05-09T00:00:00Z'],
      reasons: { '2026-05-09T00:00:00Z': ['last 3'], '2026-01-01T00:00:00Z': ['last 3'] },
    },
  ]);
});
