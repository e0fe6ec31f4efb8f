import { Cron } from 'croner';

/** A cron expression in a time zone (five fields, or six with seconds first), as fire times. */
export class CronSchedule {
  private readonly cron: Cron;

  /** Throws on a malformed expression or an unknown time zone. */
  constructor(
    readonly expression: string,
    readonly timezone: string,
  ) {
    this.cron = new Cron(expression, { timezone, mode: '5-or-6-parts' });
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
}
