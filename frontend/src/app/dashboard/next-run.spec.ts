import { nextRun } from './next-run';
import { aJob } from './test-data';

// A Monday evening; the scheduler's next fire is early Tuesday.
const NOW = new Date('2026-11-23T23:30:00Z');
const nightly = aJob({ schedule: { cron: '30 2 * * *', timezone: 'UTC' } });

describe('next run wording', () => {
  it('says how soon and when, as the scheduler planned it', () => {
    expect(nextRun(nightly, '2026-11-24T02:30:00Z', null, NOW, 'UTC')).toMatchObject({
      kind: 'scheduled',
      text: 'in 3 hours · Tue 02:30',
    });
  });

  it('works the next run out from the cron expression when the scheduler has none', () => {
    expect(nextRun(nightly, null, null, NOW, 'UTC').text).toBe('in 3 hours · Tue 02:30');
  });

  it('writes a date rather than a weekday for runs more than a week away', () => {
    const monthly = aJob({ schedule: { cron: '0 4 1 * *', timezone: 'UTC' } });
    expect(nextRun(monthly, null, null, NOW, 'UTC').text).toBe('in 1 week · 1 Dec 04:00');
  });

  it('marks a stored schedule that cannot run, and says why in the tooltip', () => {
    for (const schedule of [
      { cron: '99 99 * * *', timezone: 'UTC' },
      { cron: '30 2 * * *', timezone: 'Mars/Olympus' },
    ]) {
      const next = nextRun(aJob({ schedule }), null, null, NOW, 'UTC');
      expect(next.kind).toBe('invalid');
      expect(next.text).toBe('Schedule cannot run: edit it');
      expect(next.exact).toBeTruthy();
    }
  });

  it('says "Manual only" without a schedule and "Disabled" for a disabled job', () => {
    expect(nextRun(aJob(), null, null, NOW, 'UTC')).toEqual({
      kind: 'manual',
      text: 'Manual only',
      exact: null,
    });
    expect(nextRun({ ...nightly, enabled: false }, '2026-11-24T02:30:00Z', null, NOW).text).toBe(
      'Schedule paused',
    );
  });

  it('says "Paused" while the scheduler is paused, and until when if it will resume', () => {
    const forever = Number.MAX_SAFE_INTEGER;
    expect(nextRun(nightly, '2026-11-24T02:30:00Z', forever, NOW, 'UTC').text).toBe('Paused');
    const inTwoHours = NOW.getTime() + 2 * 3_600_000;
    expect(nextRun(nightly, '2026-11-24T02:30:00Z', inTwoHours, NOW, 'UTC').text).toBe(
      'Paused until Tue 01:30',
    );
    const ended = NOW.getTime() - 1000;
    expect(nextRun(nightly, '2026-11-24T02:30:00Z', ended, NOW, 'UTC').kind).toBe('scheduled');
  });
});
