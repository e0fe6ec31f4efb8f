import { CronSchedule, scheduleProblem } from '@contracts/rules/schedule';

/** The schedule choices the wizard offers; every one but `manual` becomes a five-field cron line. */
export type SchedulePreset = 'daily' | 'weekly' | 'hourly' | 'cron' | 'manual';

export interface ScheduleChoice {
  preset: SchedulePreset;
  /** "HH:MM", for daily and weekly. */
  time: string;
  /** 0 = Sunday … 6 = Saturday, as cron counts. */
  weekday: number;
  /** Hours between backups for `hourly`: a divisor of 24, so the runs stay evenly spaced. */
  everyHours: number;
  cron: string;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const HOUR_STEPS = [1, 2, 3, 4, 6, 8, 12];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const DEFAULT_SCHEDULE: ScheduleChoice = {
  preset: 'daily',
  time: '02:30',
  weekday: 1,
  everyHours: 6,
  cron: '30 2 * * *',
};

/** The time zone the browser lives in: schedules are written and shown in it. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function timeProblem(time: string): string | null {
  return TIME.test(time) ? null : 'Enter a time like 02:30';
}

/** The cron line of a choice; null for "manual only". */
export function cronOf(choice: ScheduleChoice): string | null {
  const [, hour = '2', minute = '30'] = TIME.exec(choice.time) ?? [];
  switch (choice.preset) {
    case 'daily':
      return `${Number(minute)} ${Number(hour)} * * *`;
    case 'weekly':
      return `${Number(minute)} ${Number(hour)} * * ${choice.weekday}`;
    case 'hourly':
      return choice.everyHours === 1 ? '0 * * * *' : `0 */${choice.everyHours} * * *`;
    case 'cron':
      return choice.cron.trim().replace(/\s+/g, ' ');
    case 'manual':
      return null;
  }
}

/** Reads a saved cron line back into the simplest choice that writes it. */
export function choiceOf(cron: string | null | undefined): ScheduleChoice {
  if (!cron) return { ...DEFAULT_SCHEDULE, preset: 'manual' };
  const fields = cron.trim().split(/\s+/);
  const base = { ...DEFAULT_SCHEDULE, cron: fields.join(' ') };
  if (fields.length !== 5) return { ...base, preset: 'cron' };
  const [minute, hour, day, month, weekday] = fields;
  const clock =
    /^\d{1,2}$/.test(minute) && /^\d{1,2}$/.test(hour) && Number(minute) < 60 && Number(hour) < 24;
  const time = `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
  if (clock && day === '*' && month === '*') {
    if (weekday === '*') return { ...base, preset: 'daily', time };
    if (/^[0-6]$/.test(weekday)) return { ...base, preset: 'weekly', time, weekday: Number(weekday) };
  }
  const step = /^\*\/(\d+)$/.exec(hour)?.[1] ?? (hour === '*' ? '1' : undefined);
  if (
    minute === '0' &&
    step &&
    HOUR_STEPS.includes(Number(step)) &&
    day === '*' &&
    month === '*' &&
    weekday === '*'
  ) {
    return { ...base, preset: 'hourly', everyHours: Number(step) };
  }
  return { ...base, preset: 'cron' };
}

/** Why a five-field cron line cannot be used, in words; null when it is fine. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 0) return 'Enter a cron expression, like 30 2 * * 1-5';
  if (fields.length !== 5) {
    return `A cron expression has five fields (minute, hour, day of the month, month, day of the week); this one has ${fields.length}`;
  }
  return scheduleProblem(fields.join(' '), 'UTC')?.message ?? null;
}

/**
 * The next fire times in a time zone, as the scheduler computes them (five fields, or six with
 * seconds first, as saved jobs may have); [] when invalid.
 */
export function nextRuns(expression: string, timezone: string, count = 3, from = new Date()): Date[] {
  try {
    return new CronSchedule(expression, timezone).nextRuns(count, from);
  } catch {
    return [];
  }
}

/** "Today at 14:00", "Tomorrow at 02:30", "Wednesday 25 November at 02:30" (a year when not this one). */
export function describeRun(date: Date, timezone: string, now = new Date()): string {
  const day = calendarDay(date, timezone);
  const today = calendarDay(now, timezone);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  const daysAhead = Math.round((day.utc - today.utc) / 86_400_000);
  if (daysAhead === 0) return `Today at ${time}`;
  if (daysAhead === 1) return `Tomorrow at ${time}`;
  const words = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(day.year === today.year ? {} : { year: 'numeric' }),
  })
    .format(date)
    .replace(',', '');
  return `${words} at ${time}`;
}

function calendarDay(date: Date, timezone: string): { utc: number; year: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
  return { utc: Date.UTC(part('year'), part('month') - 1, part('day')), year: part('year') };
}

/** The choice in words, for the summary: "Every day at 02:30". */
export function describeSchedule(choice: ScheduleChoice): string {
  switch (choice.preset) {
    case 'daily':
      return `Every day at ${choice.time}`;
    case 'weekly':
      return `Every ${WEEKDAYS[choice.weekday]} at ${choice.time}`;
    case 'hourly':
      return choice.everyHours === 1 ? 'Every hour' : `Every ${choice.everyHours} hours`;
    case 'cron':
      return `Custom schedule: ${cronOf(choice)}`;
    case 'manual':
      return 'Manual only: it runs when you start it';
  }
}
