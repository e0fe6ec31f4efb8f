import { listInWords } from '@contracts/rules/units';
import type { Retention } from '../../core/api.types';

/** Duplicati's "smart backup retention". */
export const SMART_POLICY = '1W:1D,4W:1W,12M:1M';

export type RetentionPreset = 'smart' | 'last' | 'within' | 'all' | 'custom';

export interface RetentionChoice {
  preset: RetentionPreset;
  keepLast: number | null;
  /** restic's span, e.g. 30d, 6m, 1y. */
  within: string;
  /** Custom: a Duplicati policy and/or calendar counts (empty or null = rule unused). */
  policy: string;
  keepDaily: number | null;
  keepWeekly: number | null;
  keepMonthly: number | null;
  keepYearly: number | null;
}

export const DEFAULT_RETENTION: RetentionChoice = {
  preset: 'smart',
  keepLast: 30,
  within: '30d',
  policy: '',
  keepDaily: null,
  keepWeekly: null,
  keepMonthly: null,
  keepYearly: null,
};

type SpanPart = 'years' | 'months' | 'weeks' | 'days' | 'hours' | 'minutes' | 'seconds';
type Span = Partial<Record<SpanPart, number>>;

/** Case matters, as in the engine: m is minutes and M months (Duplicati's letters). */
const POLICY_UNITS: Record<string, SpanPart> = {
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  D: 'days',
  W: 'weeks',
  M: 'months',
  Y: 'years',
};
/** restic's --keep-within letters: here m is months. */
const WITHIN_UNITS: Record<string, SpanPart> = { y: 'years', m: 'months', d: 'days', h: 'hours' };

const SINGULAR: Record<SpanPart, string> = {
  years: 'year',
  months: 'month',
  weeks: 'week',
  days: 'day',
  hours: 'hour',
  minutes: 'minute',
  seconds: 'second',
};
const ORDER: SpanPart[] = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'];
const DAY_MS = 86_400_000;
const NOMINAL_MS: Record<SpanPart, number> = {
  years: 365.2425 * DAY_MS,
  months: (365.2425 * DAY_MS) / 12,
  weeks: 7 * DAY_MS,
  days: DAY_MS,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
};

export interface PolicyFrame {
  /** undefined: unlimited (U). */
  timeframe?: Span;
  /** undefined: keep every snapshot (U or zero). */
  interval?: Span;
}

class PolicyError extends Error {}

function parseSpan(text: string, units: Record<string, SpanPart>, letters: string): Span {
  const trimmed = text.trim();
  if (trimmed === '') throw new PolicyError('a duration is missing');
  const span: Span = {};
  const pair = /(\d+)([A-Za-z])/y;
  for (let at = 0; at < trimmed.length; at = pair.lastIndex) {
    pair.lastIndex = at;
    const match = pair.exec(trimmed);
    if (!match) throw new PolicyError(`"${trimmed}" needs a unit after every number (${letters})`);
    const part = units[match[2]];
    if (!part) throw new PolicyError(`"${match[2]}" in "${trimmed}" is not a unit (${letters})`);
    span[part] = (span[part] ?? 0) + Number(match[1]);
  }
  return span;
}

const POLICY_LETTERS = 's seconds, m minutes, h hours, D days, W weeks, M months, Y years';

function nominal(span: Span): number {
  return ORDER.reduce((sum, part) => sum + (span[part] ?? 0) * NOMINAL_MS[part], 0);
}

function isUnlimited(side: string): boolean {
  return side.toUpperCase() === 'U';
}

/**
 * Reads a policy exactly as the engine does (libs/engine/src/retention/duplicati-policy.ts): pairs
 * TIMEFRAME:INTERVAL, timeframes growing left to right, each interval shorter than its timeframe.
 */
export function parsePolicy(text: string): PolicyFrame[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new PolicyError('Write at least one pair like 1W:1D');
  const frames = entries.map((entry) => {
    const sides = entry.split(':').map((side) => side.trim());
    if (sides.length !== 2) throw new PolicyError(`"${entry}" should be one pair like 4W:1W`);
    const [frameText, intervalText] = sides;
    const frame: PolicyFrame = {};
    if (!isUnlimited(frameText)) {
      frame.timeframe = parseSpan(frameText, POLICY_UNITS, POLICY_LETTERS);
      if (nominal(frame.timeframe) === 0) throw new PolicyError(`The period of "${entry}" is zero`);
    }
    if (!isUnlimited(intervalText)) {
      const interval = parseSpan(intervalText, POLICY_UNITS, POLICY_LETTERS);
      if (nominal(interval) > 0) frame.interval = interval;
    }
    if (frame.timeframe && frame.interval && nominal(frame.interval) >= nominal(frame.timeframe)) {
      throw new PolicyError(`In "${entry}" the gap between backups must be shorter than the period`);
    }
    return { frame, entry };
  });
  for (let index = 1; index < frames.length; index++) {
    const smaller = frames[index - 1];
    const larger = frames[index];
    if (
      !smaller.frame.timeframe ||
      (larger.frame.timeframe && nominal(larger.frame.timeframe) <= nominal(smaller.frame.timeframe))
    ) {
      throw new PolicyError(
        `List the periods from shortest to longest: "${larger.entry}" cannot follow "${smaller.entry}"`,
      );
    }
  }
  return frames.map(({ frame }) => frame);
}

/** Why the engine would refuse this policy, in words; null when it accepts it. */
export function policyProblem(text: string): string | null {
  try {
    parsePolicy(text);
    return null;
  } catch (error) {
    if (error instanceof PolicyError) return capitalize(error.message);
    throw error;
  }
}

/** "for a week keep one per day; for 4 weeks one per week; for 12 months one per month". */
export function describePolicy(text: string): string {
  return parsePolicy(text)
    .map((frame, index) => {
      const keep = frame.interval ? oneEvery(frame.interval) : 'every backup';
      if (!frame.timeframe) return index === 0 ? `forever keep ${keep}` : `after that ${keep}`;
      return `for ${spanWords(frame.timeframe, 'a')} ${index === 0 ? 'keep ' : ''}${keep}`;
    })
    .join('; ');
}

/** The restic span of "Keep everything within", e.g. 30d, 6m (months), 1y. */
export function withinProblem(text: string): string | null {
  try {
    const span = parseSpan(text, WITHIN_UNITS, 'd days, m months, y years, h hours');
    return nominal(span) === 0 ? 'The period cannot be zero: it would keep nothing' : null;
  } catch (error) {
    if (error instanceof PolicyError) {
      return text.trim() ? capitalize(error.message) : 'Enter a period like 30d, 6m or 1y';
    }
    throw error;
  }
}

/** "30 days", "6 months", "a year". */
export function describeWithin(text: string): string {
  return spanWords(parseSpan(text, WITHIN_UNITS, ''), 'a');
}

function spanWords(span: Span, one: 'a' | '1'): string {
  const parts = ORDER.filter((part) => span[part]).map((part) => {
    const count = span[part] ?? 0;
    if (count === 1) return `${part === 'hours' && one === 'a' ? 'an' : one} ${SINGULAR[part]}`;
    return `${count} ${part}`;
  });
  return listInWords(parts);
}

function oneEvery(span: Span): string {
  const parts = ORDER.filter((part) => span[part]);
  if (parts.length === 1 && span[parts[0]] === 1) return `one per ${SINGULAR[parts[0]]}`;
  return `one every ${spanWords(span, '1')}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const CALENDAR_FIELDS = ['keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly'] as const;

/** What the API stores for a choice; null keeps every snapshot. */
export function retentionOf(choice: RetentionChoice): Retention | null {
  switch (choice.preset) {
    case 'smart':
      return { policy: SMART_POLICY };
    case 'last':
      return { keepLast: choice.keepLast ?? 1 };
    case 'within':
      return { keepWithin: choice.within.trim() };
    case 'all':
      return null;
    case 'custom': {
      const retention: Retention = {};
      if (choice.policy.trim()) retention.policy = choice.policy.trim();
      for (const field of CALENDAR_FIELDS) {
        const count = choice[field];
        if (count && count > 0) retention[field] = count;
      }
      return retention;
    }
  }
}

/** Whether a custom choice keeps anything (the engine refuses a policy without a rule). */
export function customRetentionProblem(choice: RetentionChoice): string | null {
  const rules = retentionOf({ ...choice, preset: 'custom' });
  return rules && Object.keys(rules).length > 0
    ? null
    : 'Give at least one rule, or choose "Keep everything"';
}

/** Reads a saved retention back into the simplest choice that writes it. */
export function choiceOfRetention(retention: Retention | null | undefined): RetentionChoice {
  if (!retention) return { ...DEFAULT_RETENTION, preset: 'all' };
  const keys = Object.keys(retention).filter(
    (key) => retention[key as keyof Retention] !== undefined,
  ) as (keyof Retention)[];
  const only = (key: keyof Retention) => keys.length === 1 && keys[0] === key;
  if (only('policy') && retention.policy === SMART_POLICY) return { ...DEFAULT_RETENTION };
  if (only('keepLast')) return { ...DEFAULT_RETENTION, preset: 'last', keepLast: retention.keepLast ?? 30 };
  if (only('keepWithin'))
    return { ...DEFAULT_RETENTION, preset: 'within', within: retention.keepWithin ?? '' };
  return {
    ...DEFAULT_RETENTION,
    preset: 'custom',
    policy: retention.policy ?? '',
    keepDaily: retention.keepDaily ?? null,
    keepWeekly: retention.keepWeekly ?? null,
    keepMonthly: retention.keepMonthly ?? null,
    keepYearly: retention.keepYearly ?? null,
  };
}

/** A retention in words, for the summary and the step's explanations. */
export function describeRetention(retention: Retention | null): string {
  const rules: string[] = [];
  if (retention?.keepLast) rules.push(`keep the last ${plural(retention.keepLast, 'backup')}`);
  const calendar: [number | undefined, string][] = [
    [retention?.keepHourly, 'hour'],
    [retention?.keepDaily, 'day'],
    [retention?.keepWeekly, 'week'],
    [retention?.keepMonthly, 'month'],
    [retention?.keepYearly, 'year'],
  ];
  for (const [count, unit] of calendar) {
    if (count) rules.push(`keep one per ${unit} for the last ${plural(count, unit)}`);
  }
  if (retention?.keepWithin && !withinProblem(retention.keepWithin)) {
    rules.push(`keep every backup from the last ${describeWithin(retention.keepWithin)}`);
  }
  if (retention?.policy && !policyProblem(retention.policy)) rules.push(describePolicy(retention.policy));
  if (rules.length === 0) return 'Keep every backup: nothing is ever deleted';
  return capitalize(rules.join('; '));
}

function plural(count: number, unit: string): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}
