// The one reading of a job's schedule: the catalog refuses what this refuses when a job is saved, the
// scheduler fires by it, and the web app and the notifier compute next runs and "overdue" with it.
// Browser-safe (no Node imports): the web app imports this file.
import { Cron } from 'croner';

const FIELD_NAMES = ['minute', 'hour', 'day of the month', 'month', 'day of the week'];

/** A cron expression in a time zone (five fields, or six with seconds first), as fire times. */
export class CronSchedule {
  private readonly cron: Cron;

  /** Throws on a malformed expression or an unknown time zone; {@link scheduleProblem} says why. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    this.cron = new Cron(expression, { timezone, paused: true, mode: '5-or-6-parts' });
    // croner only notices a bad time zone when it computes a time.
    this.cron.nextRun();
  }

  /** The first fire strictly after `time`; null when the expression never fires again. */
  nextAfter(time: Date): Date | null {
    return this.cron.nextRun(time);
  }

  /** The latest fire at or before `time`. */
  latestUntil(time: Date): Date | undefined {
    return this.cron.previousRuns(1, new Date(time.getTime() + 1))[0];
  }

  /** The next `count` fires after `from`. */
  nextRuns(count: number, from = new Date()): Date[] {
    return this.cron.nextRuns(count, from);
  }
}

/** Whether the runtime knows this IANA time zone ("Europe/Berlin", "UTC"). */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Why a schedule cannot be used, in words, and which field is wrong; null when it is fine. */
export function scheduleProblem(
  expression: string,
  timezone: string,
): { field: 'cron' | 'timezone'; message: string } | null {
  if (!isTimeZone(timezone))
    return {
      field: 'timezone',
      message: `"${timezone}" is not a time zone (use a name like Europe/Berlin or UTC)`,
    };
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5 && fields.length !== 6) {
    return {
      field: 'cron',
      message: `A cron expression has five fields (minute, hour, day of the month, month, day of the week), or six with seconds first; this one has ${fields.length}`,
    };
  }
  let schedule: CronSchedule;
  try {
    schedule = new CronSchedule(fields.join(' '), timezone);
  } catch (error) {
    return {
      field: 'cron',
      message: explainCronError(error, fields.length === 6 ? fields.slice(1) : fields),
    };
  }
  if (!schedule.nextAfter(new Date()))
    return { field: 'cron', message: 'This schedule never runs: no date matches it' };
  return null;
}

function explainCronError(error: unknown, fields: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const invalid = /Invalid value for ([\w-]+): (.+)$/i.exec(message);
  if (invalid) return `The ${describeField(invalid[1]!)} cannot be ${invalid[2]}`;
  const illegal = /\((.*)\) contains illegal characters/.exec(message);
  const index = illegal ? fields.indexOf(illegal[1]!) : -1;
  if (index >= 0) return `"${fields[index]}" is not a valid ${FIELD_NAMES[index]}`;
  return 'Cron cannot read this expression. Example: 30 2 * * 1-5 runs at 02:30 from Monday to Friday';
}

function describeField(name: string): string {
  const words: Record<string, string> = { day: 'day of the month', dayofweek: 'day of the week' };
  return words[name.toLowerCase()] ?? name.toLowerCase();
}
