import {
  choiceOf,
  cronOf,
  cronProblem,
  describeRun,
  describeSchedule,
  nextRuns,
  DEFAULT_SCHEDULE,
} from './cron';

describe('cron', () => {
  it('lists the next runs in the given time zone', () => {
    const from = new Date('2026-11-23T10:00:00Z');
    const runs = nextRuns('30 2 * * *', 'Europe/Berlin', 3, from).map((run) => run.toISOString());
    expect(runs).toEqual([
      '2026-11-24T01:30:00.000Z',
      '2026-11-25T01:30:00.000Z',
      '2026-11-26T01:30:00.000Z',
    ]);
    expect(nextRuns('61 2 * * *', 'UTC', 3, from)).toEqual([]);
  });

  it('says when a run is, in words relative to today', () => {
    const now = new Date('2026-11-23T10:00:00Z'); // a Monday
    expect(describeRun(new Date('2026-11-23T14:00:00Z'), 'UTC', now)).toBe('Today at 14:00');
    expect(describeRun(new Date('2026-11-24T02:30:00Z'), 'UTC', now)).toBe('Tomorrow at 02:30');
    expect(describeRun(new Date('2026-11-25T02:30:00Z'), 'UTC', now)).toBe('Wednesday 25 November at 02:30');
    expect(describeRun(new Date('2027-01-01T02:30:00Z'), 'UTC', now)).toBe('Friday 1 January 2027 at 02:30');
  });

  it('counts days on the calendar of the time zone, not of UTC', () => {
    // 22:00 on the 23rd in New York; 02:30 on the 24th there is tomorrow, though the same UTC day.
    const now = new Date('2026-11-24T03:00:00Z');
    expect(describeRun(new Date('2026-11-24T07:30:00Z'), 'America/New_York', now)).toBe('Tomorrow at 02:30');
  });

  it('explains invalid expressions in words', () => {
    expect(cronProblem('30 2 * * 1-5')).toBeNull();
    expect(cronProblem('')).toBe('Enter a cron expression, like 30 2 * * 1-5');
    expect(cronProblem('0 2 * *')).toMatch(/^A cron expression has five fields .*; this one has 4$/);
    expect(cronProblem('0 0 2 * * *')).toMatch(/this one has 6$/);
    expect(cronProblem('61 2 * * *')).toBe('The minute cannot be 61');
    expect(cronProblem('0 25 * * *')).toBe('The hour cannot be 25');
    expect(cronProblem('x 2 * * *')).toBe('"x" is not a valid minute');
    expect(cronProblem('0 0 30 2 *')).toBe('This schedule never runs: no date matches it');
  });

  it('writes each preset as a cron line and reads it back', () => {
    const daily = { ...DEFAULT_SCHEDULE, preset: 'daily' as const, time: '04:05' };
    expect(cronOf(daily)).toBe('5 4 * * *');
    expect(choiceOf('5 4 * * *')).toMatchObject({ preset: 'daily', time: '04:05' });
    const weekly = { ...daily, preset: 'weekly' as const, weekday: 3 };
    expect(cronOf(weekly)).toBe('5 4 * * 3');
    expect(choiceOf('5 4 * * 3')).toMatchObject({ preset: 'weekly', time: '04:05', weekday: 3 });
    expect(cronOf({ ...daily, preset: 'hourly', everyHours: 6 })).toBe('0 */6 * * *');
    expect(choiceOf('0 */6 * * *')).toMatchObject({ preset: 'hourly', everyHours: 6 });
    expect(choiceOf('0 * * * *')).toMatchObject({ preset: 'hourly', everyHours: 1 });
    expect(cronOf({ ...daily, preset: 'cron', cron: ' 30  2 * * 1-5 ' })).toBe('30 2 * * 1-5');
    expect(choiceOf('30 2 * * 1-5')).toMatchObject({ preset: 'cron', cron: '30 2 * * 1-5' });
    expect(cronOf({ ...daily, preset: 'manual' })).toBeNull();
    expect(choiceOf(null).preset).toBe('manual');
  });

  it('describes a schedule for the summary', () => {
    expect(describeSchedule({ ...DEFAULT_SCHEDULE, preset: 'weekly', weekday: 0 })).toBe(
      'Every Sunday at 02:30',
    );
    expect(describeSchedule({ ...DEFAULT_SCHEDULE, preset: 'hourly', everyHours: 4 })).toBe('Every 4 hours');
    expect(describeSchedule({ ...DEFAULT_SCHEDULE, preset: 'manual' })).toBe(
      'Manual only: it runs when you start it',
    );
  });
});
