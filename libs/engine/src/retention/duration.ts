import { CairnError } from '../errors.js';

/**
 * A length of time as people write it. Calendar parts (years, months, weeks, days) are kept apart
 * from clock parts because "1 month back" is a different number of hours in February than in March,
 * and "1 day back" is 23 or 25 hours across a daylight-saving change.
 */
export interface CalendarSpan {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

type SpanPart = keyof CalendarSpan;

/**
 * Which letters mean which part. Three spellings meet in Cairn and disagree on `m`: restic's
 * `--keep-within 2y5m7d3h` (m = months), Duplicati's `1W:1D,12M:1M` (case matters: m = minutes,
 * M = months) and Go-style waits like `--retry-lock 5m` (m = minutes).
 */
export interface SpanDialect {
  readonly units: Readonly<Record<string, SpanPart>>;
  /** Shown in error messages. */
  readonly help: string;
}

export const RESTIC_SPAN: SpanDialect = {
  units: { y: 'years', m: 'months', d: 'days', h: 'hours' },
  help: 'like 30d or 2y5m7d3h (y years, m months, d days, h hours)',
};

export const DUPLICATI_SPAN: SpanDialect = {
  units: { s: 'seconds', m: 'minutes', h: 'hours', D: 'days', W: 'weeks', M: 'months', Y: 'years' },
  help: 'like 7D or 12M (s seconds, m minutes, h hours, D days, W weeks, M months, Y years)',
};

export const CLOCK_SPAN: SpanDialect = {
  units: { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' },
  help: 'like 30s, 5m or 1h30m (s seconds, m minutes, h hours, d days)',
};

export const ZERO_SPAN: CalendarSpan = {
  years: 0,
  months: 0,
  weeks: 0,
  days: 0,
  hours: 0,
  minutes: 0,
  seconds: 0,
};

/** Parses a sequence of NUMBER+UNIT pairs such as `2y5m7d3h`; a repeated unit adds up. */
export function parseSpan(text: string, dialect: SpanDialect): CalendarSpan {
  const trimmed = text.trim();
  const invalid = (detail: string) =>
    new CairnError('usage', `"${text}" is not a duration ${dialect.help}: ${detail}`);
  if (trimmed === '') throw invalid('it is empty');
  const span = { ...ZERO_SPAN };
  // Sticky matching walks the text pair by pair, so any stray character is reported, not skipped.
  const pair = /(\d+)([A-Za-z])/y;
  for (let at = 0; at < trimmed.length; at = pair.lastIndex) {
    pair.lastIndex = at;
    const match = pair.exec(trimmed);
    if (!match) throw invalid(`cannot read "${trimmed.slice(at)}" (every number needs a unit)`);
    const part = dialect.units[match[2]!];
    if (!part) throw invalid(`unknown unit "${match[2]}"`);
    span[part] += Number(match[1]);
  }
  return span;
}

export function isZeroSpan(span: CalendarSpan): boolean {
  return Object.values(span).every((value) => value === 0);
}

const SECOND = 1000;
const DAY = 86_400 * SECOND;

/**
 * A span's typical length (a month is 1/12 of a Gregorian year). Only for comparing spans with each
 * other, where the answer must not depend on today's date; applying a span to a moment uses
 * {@link TimeZone.shift}.
 */
export function nominalMs(span: CalendarSpan): number {
  const months = span.years * 12 + span.months;
  return (
    months * ((365.2425 * DAY) / 12) +
    (span.weeks * 7 + span.days) * DAY +
    (span.hours * 3600 + span.minutes * 60 + span.seconds) * SECOND
  );
}

/**
 * A wait such as `--retry-lock 5m` in milliseconds. `0` alone means no wait; days count as 24 hours
 * because a wait is measured on the clock, not the calendar.
 */
export function parseDuration(text: string): number {
  if (text.trim() === '0') return 0;
  const span = parseSpan(text, CLOCK_SPAN);
  return span.days * DAY + (span.hours * 3600 + span.minutes * 60 + span.seconds) * SECOND;
}
