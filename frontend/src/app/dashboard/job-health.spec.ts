import { attentionItems, spanWords } from './attention';
import { jobHealth } from './job-health';
import { summarize } from './summary';
import { NOW, aJob, aRun, minutesAgo } from './test-data';

describe('job health', () => {
  it('reports a failed last run, with its error in the attention banner', () => {
    const job = aJob({ name: 'Photos' });
    const failed = aRun({
      status: 'failed',
      finishedMinutesAgo: 10,
      error: 'destination unreachable',
      stats: null,
    });
    const health = jobHealth(job, [aRun({ finishedMinutesAgo: 600 }), failed], NOW);

    expect(health.status).toBe('failed');
    expect(health.statusRun?.id).toBe(failed.id);
    const [item] = attentionItems([{ job, health }], NOW);
    expect(item).toMatchObject({ jobName: 'Photos', kind: 'failed', runId: failed.id });
    expect(item.message).toBe('The last backup failed 10 minutes ago: destination unreachable');
  });

  it('is overdue when the last success is older than the job’s own threshold', () => {
    const job = aJob({ overdueAfterMinutes: 60 });
    const lastSuccess = aRun({ finishedMinutesAgo: 120 });
    const failedSince = aRun({ status: 'failed', finishedMinutesAgo: 5, stats: null });

    const health = jobHealth(job, [failedSince, lastSuccess], NOW);

    expect(health.overdue).toEqual({ thresholdMinutes: 60, lastSuccessAt: lastSuccess.finishedAt });
    expect(jobHealth(job, [aRun({ finishedMinutesAgo: 30 })], NOW).overdue).toBeNull();
  });

  it('counts a warning as a success but not a restore or a verify', () => {
    const job = aJob({ overdueAfterMinutes: 60 });
    const warning = aRun({ status: 'warning', finishedMinutesAgo: 20 });
    expect(jobHealth(job, [warning], NOW).overdue).toBeNull();
    const verify = aRun({ kind: 'verify', finishedMinutesAgo: 20 });
    expect(jobHealth(job, [verify, aRun({ finishedMinutesAgo: 90 })], NOW).overdue).not.toBeNull();
  });

  it('takes twice the schedule’s interval as the threshold when the job sets none', () => {
    const job = aJob({ schedule: { cron: '0 * * * *', timezone: 'UTC' } });
    expect(jobHealth(job, [aRun({ finishedMinutesAgo: 180 })], NOW).overdue?.thresholdMinutes).toBe(120);
    expect(jobHealth(job, [aRun({ finishedMinutesAgo: 100 })], NOW).overdue).toBeNull();
  });

  it('judges a job that never succeeded by its creation time', () => {
    const failedOnly = [aRun({ status: 'failed', finishedMinutesAgo: 5, stats: null })];
    const old = aJob({ overdueAfterMinutes: 60, createdAt: minutesAgo(180) });
    const fresh = aJob({ overdueAfterMinutes: 60, createdAt: minutesAgo(10) });

    expect(jobHealth(old, failedOnly, NOW).overdue).toEqual({ thresholdMinutes: 60, lastSuccessAt: null });
    expect(jobHealth(fresh, [], NOW).overdue).toBeNull();
    const [item] = attentionItems([{ job: old, health: jobHealth(old, [], NOW) }], NOW);
    expect(item.message).toContain('no successful backup since it was created 3 hours ago');
    expect(item.message).toContain('at least every 60 minutes');
  });

  it('finds nothing wrong with a healthy job, an unscheduled one or a disabled one', () => {
    const daily = aJob({ schedule: { cron: '30 2 * * *', timezone: 'UTC' } });
    const healthy = jobHealth(daily, [aRun({ finishedMinutesAgo: 60 })], NOW);
    expect(healthy.status).toBe('succeeded');
    expect(healthy.overdue).toBeNull();
    expect(jobHealth(aJob(), [], NOW)).toMatchObject({ status: 'never', overdue: null, lastBackup: null });
    expect(jobHealth(aJob({ overdueAfterMinutes: 1, enabled: false }), [], NOW).overdue).toBeNull();
    expect(attentionItems([{ job: daily, health: healthy }], NOW)).toEqual([]);
  });

  it('leaves restores out of the status and takes the size from the newest run that measured it', () => {
    const restore = aRun({ kind: 'restore', status: 'failed', finishedMinutesAgo: 1, stats: null });
    const backup = aRun({ finishedMinutesAgo: 30, stats: { repositorySize: 5000 } });
    const health = jobHealth(aJob(), [restore, backup, aRun({ finishedMinutesAgo: 90 })], NOW);
    expect(health.status).toBe('succeeded');
    expect(health.repositorySize).toBe(5000);
    expect(health.lastBackup?.id).toBe(backup.id);
  });

  it('says thresholds in days, hours or minutes', () => {
    expect(spanWords(2 * 86_400_000)).toBe('2 days');
    expect(spanWords(36 * 3_600_000)).toBe('36 hours');
    expect(spanWords(90 * 60_000)).toBe('90 minutes');
  });

  it('sums sizes and counts the last day’s runs and failures', () => {
    const docs = [
      aRun({ finishedMinutesAgo: 60, stats: { repositorySize: 100 } }),
      aRun({ finishedMinutesAgo: 3000 }),
    ];
    const photos = [aRun({ status: 'failed', finishedMinutesAgo: 10, stats: null })];
    const summary = summarize(
      [
        { health: jobHealth(aJob(), docs, NOW), runs: docs },
        { health: jobHealth(aJob(), photos, NOW), runs: photos },
      ],
      NOW,
    );
    expect(summary).toEqual({ jobs: 2, totalRepositorySize: 100, runsLast24h: 2, failuresLast24h: 1 });
  });
});
