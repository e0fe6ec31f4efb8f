import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG, CronSchedule, Job, JobInput, overdueAfterMinutes, scheduleProblem } from '../src/index.js';

const id = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const input = {
  name: 'Photos',
  sources: ['/source/photos'],
  destinationId: id,
  passphrase: 'correct horse battery',
};

function issue(value: unknown) {
  const result = JobInput.safeParse(value);
  assert.equal(result.success, false, 'the job should be refused');
  const [first] = result.error!.issues;
  return { path: first!.path.join('.'), message: first!.message };
}

test('a schedule the scheduler cannot fire is refused when the job is saved, naming the field', () => {
  assert.deepEqual(issue({ ...input, schedule: { cron: '99 99 * * *', timezone: 'UTC' } }), {
    path: 'schedule.cron',
    message: 'The minute cannot be 99',
  });
  // The verify schedule is checked the same way.
  assert.deepEqual(
    issue({ ...input, verifySchedule: { cron: '0 4 * * 8', timezone: 'UTC' } }).path,
    'verifySchedule.cron',
  );
  assert.match(
    issue({ ...input, schedule: { cron: '30 2 * * *', timezone: 'Mars/Olympus' } }).message,
    /"Mars\/Olympus" is not a time zone/,
  );
  assert.equal(
    issue({ ...input, schedule: { cron: '30 2 * * *', timezone: 'Mars/Olympus' } }).path,
    'schedule.timezone',
  );
  assert.match(
    issue({ ...input, schedule: { cron: '1 2 3 4 5 6 7', timezone: 'UTC' } }).message,
    /this one has 7/,
  );
  // An update goes through the same check.
  assert.throws(() =>
    CATALOG.jobs.update.request.parse({
      id,
      patch: { schedule: { cron: '* * * * * * *', timezone: 'UTC' } },
    }),
  );
  // Five fields, or six with seconds first, in any real zone.
  assert.ok(JobInput.parse({ ...input, schedule: { cron: '*/2 * * * * *', timezone: 'Europe/Berlin' } }));
  assert.equal(scheduleProblem('30 2 * * 1-5', 'America/New_York'), null);
});

test('a retention the engine would refuse is refused when the job is saved', () => {
  const refused = issue({ ...input, retention: { policy: '4W:1W,1W:1D' } });
  assert.equal(refused.path, 'retention.policy');
  assert.match(refused.message, /timeframes must grow/);
  assert.equal(issue({ ...input, retention: { keepWithin: '30 days' } }).path, 'retention.keepWithin');
  assert.match(issue({ ...input, retention: {} }).message, /at least one keep rule/);
  assert.ok(JobInput.parse({ ...input, retention: { policy: '1W:1D,4W:1W,12M:1M', keepWithin: '2y5m' } }));
});

test('a job stored before the checks existed still reads, so one bad job never hides the others', () => {
  const stored = {
    ...input,
    passphrase: { set: true },
    id,
    repositoryPath: 'photos',
    excludes: [],
    compression: 'default',
    packSizeMiB: 16,
    enabled: true,
    schedule: { cron: '99 99 * * *', timezone: 'Mars/Olympus' },
    retention: { policy: 'nonsense' },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  };
  const result = Job.safeParse(stored);
  assert.ok(result.success, JSON.stringify(result.error?.issues));
  // The dashboard and the notifier judge "overdue" with it: no throw, no judgment.
  assert.equal(overdueAfterMinutes(result.data!), null);
});

test('fire times follow the zone, and the latest fire at or before a time is found', () => {
  const schedule = new CronSchedule('30 2 * * *', 'Europe/Berlin');
  const from = new Date('2026-01-10T12:00:00Z');
  // 02:30 in Berlin is 01:30 UTC in winter and 00:30 UTC in summer.
  assert.deepEqual(
    schedule.nextRuns(2, from).map((date) => date.toISOString()),
    ['2026-01-11T01:30:00.000Z', '2026-01-12T01:30:00.000Z'],
  );
  assert.equal(
    schedule.nextAfter(new Date('2026-07-01T12:00:00Z'))?.toISOString(),
    '2026-07-02T00:30:00.000Z',
  );
  assert.equal(
    schedule.latestUntil(new Date('2026-01-12T01:30:00Z'))?.toISOString(),
    '2026-01-12T01:30:00.000Z',
  );
  assert.throws(() => new CronSchedule('30 2 * * *', 'Nowhere/City'));
});
