// Duplicati's schedule (a first run `Time`, a `Repeat` such as "1D", the `AllowedDays`) as a cron in
// the job's time zone. Duplicati counts its repeat from the last run; a cron names clock times, so a
// repeat that does not divide the hour, the day or the year is said, not guessed.

export interface DuplicatiSchedule {
  Repeat?: unknown;
  Time?: unknown;
  AllowedDays?: unknown;
}

export interface ScheduleMapping {
  schedule: { cron: string; timezone: string } | null;
  /** What became of it, in words. */
  imported: string | null;
  notes: string[];
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface LocalTime {
  minute: number;
  hour: number;
  day: number;
  month: number;
  weekday: number;
}

export function mapSchedule(source: DuplicatiSchedule | null | undefined, timezone: string): ScheduleMapping {
  if (!source || typeof source.Repeat !== 'string')
    return {
      schedule: null,
      imported: 'no schedule: the job runs when you start it, as in Duplicati.',
      notes: [],
    };
  const repeat = /^\s*(\d+)\s*([smhDWMY])\s*$/.exec(source.Repeat);
  const time = typeof source.Time === 'string' ? new Date(source.Time) : new Date(Number.NaN);
  if (!repeat || Number.isNaN(time.getTime()))
    return unscheduled(`the schedule “${String(source.Repeat)}”: Cairn cannot read when it runs.`);
  const every = Number(repeat[1]);
  const unit = repeat[2]!;
  const at = localTime(time, timezone);
  const days = allowedDays(source.AllowedDays);
  const clock = `${pad(at.hour)}:${pad(at.minute)}`;
  const onDays =
    days === '*'
      ? ''
      : ` on ${days
          .split(',')
          .map((day) => WEEKDAY_NAMES[Number(day)]!.slice(0, 3))
          .join(', ')}`;
  const notes: string[] = [];
  const done = (cron: string, words: string): ScheduleMapping => ({
    schedule: { cron, timezone },
    imported: `the schedule, ${words} (${timezone}): cron “${cron}”.`,
    notes,
  });

  switch (unit) {
    case 'm':
      if (every < 60 && 60 % every === 0)
        return done(
          `${steps(at.minute % every, every, 60)} * * * ${days}`,
          `every ${plural(every, 'minute')}${onDays}`,
        );
      break;
    case 'h':
      if (every < 24 && 24 % every === 0)
        return done(
          `${at.minute} ${steps(at.hour % every, every, 24)} * * ${days}`,
          `every ${plural(every, 'hour')}${onDays}`,
        );
      break;
    case 'D':
      if (every === 1) return done(`${at.minute} ${at.hour} * * ${days}`, `every day at ${clock}${onDays}`);
      if (every < 28) {
        notes.push(
          `the schedule every ${every} days: a cron cannot count days across months, so Cairn runs it on day 1, ` +
            `${1 + every}, ${1 + 2 * every}, … of each month` +
            (days === '*' ? '.' : ', on any weekday (the allowed days are not kept).'),
        );
        return done(`${at.minute} ${at.hour} */${every} * *`, `every ${every} days of the month at ${clock}`);
      }
      break;
    case 'W':
      if (every > 1)
        notes.push(
          `the schedule every ${every} weeks: a cron cannot skip weeks, so Cairn runs it every week.`,
        );
      return done(
        `${at.minute} ${at.hour} * * ${at.weekday}`,
        `every ${WEEKDAY_NAMES[at.weekday]} at ${clock}`,
      );
    case 'M':
      if (every <= 12 && 12 % every === 0) {
        const months = every === 1 ? '*' : steps(((at.month - 1) % every) + 1, every, 13);
        return done(
          `${at.minute} ${at.hour} ${at.day} ${months} *`,
          `on day ${at.day} of every ${every === 1 ? 'month' : `${every} months`} at ${clock}`,
        );
      }
      break;
    case 'Y':
      if (every === 1)
        return done(
          `${at.minute} ${at.hour} ${at.day} ${at.month} *`,
          `every year on ${at.day}/${at.month} at ${clock}`,
        );
      break;
  }
  return unscheduled(
    `the schedule every ${source.Repeat}: no cron fires at that interval; set a schedule in the job's options.`,
  );
}

function unscheduled(note: string): ScheduleMapping {
  return { schedule: null, imported: null, notes: [note] };
}

/** The cron day-of-week field of Duplicati's allowed days ("mon", "Monday", …); every day is `*`. */
function allowedDays(value: unknown): string {
  if (!Array.isArray(value)) return '*';
  const days = [
    ...new Set(
      value.map((day) => WEEKDAYS.indexOf(String(day).slice(0, 3).toLowerCase())).filter((day) => day >= 0),
    ),
  ].sort();
  return days.length === 0 || days.length === 7 ? '*' : days.join(',');
}

/** `first`, `first + step`, … below `limit`: a list every cron reads. */
function steps(first: number, step: number, limit: number): string {
  const values: number[] = [];
  for (let value = first; value < limit; value += step) values.push(value);
  return values.join(',');
}

function localTime(time: Date, timezone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
    })
      .formatToParts(time)
      .map((part) => [part.type, part.value]),
  );
  return {
    minute: Number(parts['minute']),
    hour: Number(parts['hour']),
    day: Number(parts['day']),
    month: Number(parts['month']),
    weekday: WEEKDAYS.indexOf(String(parts['weekday']).toLowerCase()),
  };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function plural(count: number, unit: string): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}
