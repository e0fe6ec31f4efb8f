import { CairnError } from '../errors.js';
import { isZeroSpan, type CalendarSpan } from './duration.js';

/** A moment as a clock on the wall of a time zone shows it (month 1–12). */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/**
 * An IANA time zone, read through Intl so that no time-zone database has to ship with Cairn.
 * Retention buckets ("one per day") depend on it: the same instant can fall on different days in
 * Berlin and in New York.
 */
export class TimeZone {
  /** The canonical IANA name. */
  readonly name: string;
  private readonly format: Intl.DateTimeFormat;

  constructor(name: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        // h23, not hour12: false, which some engines render midnight as "24".
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new CairnError(
        'usage',
        `"${name}" is not a time zone (use an IANA name like Europe/Berlin or UTC)`,
      );
    }
    this.name = this.format.resolvedOptions().timeZone;
  }

  /** The zone this process runs in (TZ, else the system's). */
  static local(): TimeZone {
    return new TimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone);
  }

  wallClock(ms: number): WallClock {
    const parts: Record<string, number> = {};
    for (const part of this.format.formatToParts(ms)) parts[part.type] = Number(part.value);
    return {
      year: parts.year!,
      month: parts.month!,
      day: parts.day!,
      hour: parts.hour!,
      minute: parts.minute!,
      second: parts.second!,
      millisecond: ((ms % 1000) + 1000) % 1000,
    };
  }

  /**
   * The instant a wall clock shows, resolved like Temporal's "compatible" disambiguation: a time
   * repeated when clocks fall back is its earlier instant, and a time skipped when they spring
   * forward (02:30 on such a night) moves forward by the size of the gap (03:30).
   */
  instant(wall: WallClock): number {
    const asUtc = utcMs(wall);
    // The offsets in force a day before and a day after bracket any clock change near this time.
    const before = asUtc - this.offset(asUtc - DAY_MS);
    const after = asUtc - this.offset(asUtc + DAY_MS);
    const shows = (ms: number) => utcMs(this.wallClock(ms)) === asUtc;
    if (shows(before) && shows(after)) return Math.min(before, after);
    if (shows(after)) return after;
    return before;
  }

  /**
   * Moves `ms` by a span, forwards (+1) or backwards (-1). Years, months, weeks and days move the
   * calendar date and keep the wall-clock time, so "1D" before 09:00 is 09:00 the day before even
   * across a daylight-saving change; a day of month that does not exist in the target month is
   * clamped to its last day (Mar 31 − 1 month = Feb 28/29; restic's Go arithmetic would overflow
   * to Mar 3 — clamping reaches further back, so it keeps more, never less). Hours, minutes and
   * seconds are then added on the clock, as elapsed time.
   */
  shift(ms: number, span: CalendarSpan, direction: 1 | -1): number {
    const clock = ((span.hours * 60 + span.minutes) * 60 + span.seconds) * 1000 * direction;
    if (isZeroSpan({ ...span, hours: 0, minutes: 0, seconds: 0 })) return ms + clock;
    const wall = this.wallClock(ms);
    const monthIndex = wall.year * 12 + wall.month - 1 + direction * (span.years * 12 + span.months);
    const year = Math.floor(monthIndex / 12);
    const month = monthIndex - year * 12 + 1;
    const day = Math.min(wall.day, daysInMonth(year, month));
    // Date.UTC carries surplus days into the following months and years.
    const date = new Date(Date.UTC(year, month - 1, day + direction * (span.weeks * 7 + span.days)));
    const moved = this.instant({
      ...wall,
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
    });
    return moved + clock;
  }

  /** How far this zone's wall clock is ahead of UTC at `ms`. */
  private offset(ms: number): number {
    return utcMs(this.wallClock(ms)) - ms;
  }
}

const DAY_MS = 86_400_000;

function utcMs(wall: WallClock): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
