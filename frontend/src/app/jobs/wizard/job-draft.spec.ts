import type { Job } from '../../core/api.types';
import { draftOf, jobInputOf } from './job-draft';

const PAUSED_JOB: Job = {
  id: 'job-1',
  name: 'Photos',
  sources: ['/data/photos'],
  excludes: [],
  destinationId: 'dest-1',
  repositoryPath: 'photos',
  schedule: { cron: '0 3 * * *', timezone: 'UTC' },
  retention: null,
  compression: 'default',
  packSizeMiB: 16,
  minSourceFilesPercent: 50,
  enabled: false,
  channelIds: [],
  overdueAfterMinutes: 36 * 60,
  passphrase: { set: true },
  createdAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
};

describe('the job draft', () => {
  it('keeps a paused schedule and an overdue threshold through an edit', () => {
    const draft = draftOf(PAUSED_JOB);
    expect(draft.options.enabled).toBe(false);
    expect(draft.options.overdueHours).toBe(36);
    const input = jobInputOf(draft, 'dest-1');
    expect(input.enabled).toBe(false);
    expect(input.overdueAfterMinutes).toBe(36 * 60);
  });

  it('turns hours into whole minutes, and an empty field into the default rule', () => {
    const draft = draftOf(PAUSED_JOB);
    draft.options.overdueHours = 1.5;
    expect(jobInputOf(draft, 'dest-1').overdueAfterMinutes).toBe(90);
    draft.options.overdueHours = null;
    expect(jobInputOf(draft, 'dest-1').overdueAfterMinutes).toBeNull();
  });

  it('keeps bandwidth limits through an edit, and two empty fields mean no limits', () => {
    const draft = draftOf({ ...PAUSED_JOB, limits: { downloadKiBps: 2048 } });
    expect([draft.options.uploadKiBps, draft.options.downloadKiBps]).toEqual([null, 2048]);
    expect(jobInputOf(draft, 'dest-1').limits).toEqual({ downloadKiBps: 2048 });
    draft.options.uploadKiBps = 256;
    expect(jobInputOf(draft, 'dest-1').limits).toEqual({ uploadKiBps: 256, downloadKiBps: 2048 });
    draft.options.uploadKiBps = null;
    draft.options.downloadKiBps = null;
    expect(jobInputOf(draft, 'dest-1').limits).toBeNull();
  });
});
