import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CLOCK_SPAN,
  DUPLICATI_SPAN,
  parseDuration,
  parseSpan,
  RESTIC_SPAN,
  TimeZone,
  type CalendarSpan,
  type SpanDialect,
} from '../src/index.js';
import { isoWeek } from '../src/retention/buckets.js';
import { rejectsWithKind } from './helpers.js';
import { span } from './retention-table.js';

describe('durations', () => {
  const valid: [SpanDialect, string, Partial<CalendarSpan>][] = [
    [RESTIC_SPAN, '30d', { days: 30 }],
    [RESTIC_SPAN, '2y5m7d3h', { years: 2, months: 5, days: 7, hours: 3 }],
    [RESTIC_SPAN, ' 1m ', { months: 1 }],
    [RESTIC_SPAN, '1d1d', { days: 2 }],
    [DUPLICATI_SPAN, '7D', { days: 7 }],
    [DUPLICATI_SPAN, '12M', { months: 12 }],
    [DUPLICATI_SPAN, '30m', { minutes: 30 }],
    [DUPLICATI_SPAN, '1D12h', { days: 1, hours: 12 }],
    [DUPLICATI_SPAN, '1Y2W30s', { years: 1, weeks: 2, seconds: 30 }],
    [CLOCK_SPAN, '1h30m', { hours: 1, minutes: 30 }],
  ];
  for (const [dialect, text, parts] of valid) {
    test(`"${text}" in ${dialect === RESTIC_SPAN ? 'restic' : dialect === DUPLICATI_SPAN ? 'Duplicati' : 'clock'} units`, () => {
      assert.deepEqual(parseSpan(text, dialect), span(parts));
    });
  }

  const invalid: [SpanDialect, string, RegExp][] = [
    [RESTIC_SPAN, '', /empty/],
    [RESTIC_SPAN, '30', /every number needs a unit/],
    [RESTIC_SPAN, 'd', /cannot read "d"/],
    [RESTIC_SPAN, '30x', /unknown unit "x"/],
    [RESTIC_SPAN, '30D', /unknown unit "D"/], // restic's units are lower case
    [RESTIC_SPAN, '1.5d', /cannot read "1\.5d"/],
    [RESTIC_SPAN, '-1d', /cannot read "-1d"/],
    [RESTIC_SPAN, '3d 4h', /cannot read " 4h"/],
    [DUPLICATI_SPAN, '1w', /unknown unit "w"/], // Duplicati's units are case-sensitive
    [DUPLICATI_SPAN, '1d', /unknown unit "d"/],
  ];
  for (const [dialect, text, message] of invalid) {
    test(`"${text}" is refused`, async () => {
      const error = await rejectsWithKind(() => parseSpan(text, dialect), 'usage');
      assert.match(error.message, message);
    });
  }

  test('parseDuration gives milliseconds of clock time', async () => {
    const table: [string, number][] = [
      ['0', 0],
      ['30s', 30_000],
      ['5m', 300_000],
      ['1h30m', 5_400_000],
      ['2d', 172_800_000],
    ];
    for (const [text, ms] of table) assert.equal(parseDuration(text), ms, text);
    for (const text of ['5', '5x', '', '5M']) await rejectsWithKind(() => parseDuration(text), 'usage');
  });
});

describe('time zones', () => {
  const at = (iso: string) => Date.parse(iso);
  const iso = (ms: number) => new Date(ms).toISOString();

  test('one instant on three wall clocks', () => {
    const instant = at('2026-01-31T23:30:00.250Z');
    const wall = (zone: string) => new TimeZone(zone).wallClock(instant);
    assert.deepEqual(wall('UTC'), {
      year: 2026,
      month: 1,
      day: 31,
      hour: 23,
      minute: 30,
      second: 0,
      millisecond: 250,
    });
    assert.deepEqual(
      [wall('Europe/Berlin').month, wall('Europe/Berlin').day, wall('Europe/Berlin').hour],
      [2, 1, 0],
    );
    assert.deepEqual([wall('America/New_York').day, wall('America/New_York').hour], [31, 18]);
  });

  test('midnight is hour 0, never 24', () => {
    assert.equal(new TimeZone('UTC').wallClock(at('2026-05-01T00:00:00Z')).hour, 0);
  });

  test('wall clock → instant, also on daylight-saving days', () => {
    const berlin = new TimeZone('Europe/Berlin');
    for (const instant of [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-07-01T12:00:00Z',
    ]) {
      assert.equal(iso(berlin.instant(berlin.wallClock(at(instant)))), new Date(instant).toISOString());
    }
    const wall = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millisecond: 0 };
    // 02:30 does not exist on 2026-03-29 in Berlin: it becomes 03:30 CEST.
    assert.equal(iso(berlin.instant(wall)), '2026-03-29T01:30:00.000Z');
    // 02:30 happens twice on 2026-10-25: the earlier one (CEST) is meant.
    assert.equal(iso(berlin.instant({ ...wall, month: 10, day: 25 })), '2026-10-25T00:30:00.000Z');
  });

  const shifts: [string, string, Partial<CalendarSpan>, 1 | -1, string][] = [
    ['UTC', '2026-03-31T10:00:00Z', { months: 1 }, -1, '2026-02-28T10:00:00.000Z'],
    ['UTC', '2024-03-31T10:00:00Z', { months: 1 }, -1, '2024-02-29T10:00:00.000Z'],
    ['UTC', '2026-01-31T10:00:00Z', { months: 1 }, 1, '2026-02-28T10:00:00.000Z'],
    ['UTC', '2024-02-29T10:00:00Z', { years: 1 }, -1, '2023-02-28T10:00:00.000Z'],
    ['UTC', '2025-12-31T23:00:00Z', { days: 1 }, 1, '2026-01-01T23:00:00.000Z'],
    ['UTC', '2026-01-01T00:00:00Z', { months: 13 }, -1, '2024-12-01T00:00:00.000Z'],
    ['UTC', '2026-03-10T00:00:00Z', { weeks: 2, days: 1 }, -1, '2026-02-23T00:00:00.000Z'],
    // A calendar day across spring-forward is 23 hours; 24 clock hours are 24.
    ['Europe/Berlin', '2026-03-29T07:00:00Z', { days: 1 }, -1, '2026-03-28T08:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29T07:00:00Z', { hours: 24 }, -1, '2026-03-28T07:00:00.000Z'],
    ['Europe/Berlin', '2026-10-25T08:00:00Z', { days: 1 }, -1, '2026-10-24T07:00:00.000Z'],
    ['America/New_York', '2026-03-08T16:00:00Z', { days: 1 }, -1, '2026-03-07T17:00:00.000Z'],
  ];
  for (const [zone, from, parts, direction, expected] of shifts) {
    test(`${from} ${direction > 0 ? '+' : '−'} ${JSON.stringify(parts)} in ${zone}`, () => {
      assert.equal(iso(new TimeZone(zone).shift(at(from), span(parts), direction)), expected);
    });
  }

  test('an unknown zone is a usage error', async () => {
    const error = await rejectsWithKind(() => new TimeZone('Mars/Olympus_Mons'), 'usage');
    assert.match(error.message, /not a time zone/);
  });

  test('ISO weeks at year ends', () => {
    const week = (date: string) => {
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      return isoWeek({ year, month, day, hour: 12, minute: 0, second: 0, millisecond: 0 });
    };
    assert.equal(week('2026-01-01'), '2026-W01'); // Thursday
    assert.equal(week('2027-01-01'), '2026-W53'); // Friday
    assert.equal(week('2024-12-30'), '2025-W01'); // Monday
    assert.equal(week('2021-01-03'), '2020-W53'); // Sunday
    assert.equal(week('2026-06-08'), '2026-W24');
  });
});
