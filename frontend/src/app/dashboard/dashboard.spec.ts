import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { Router, provideRouter } from '@angular/router';
import { ApiService } from '../core/api';
import type { Job, Run, RunFinished, SchedulerStatus } from '../core/api.types';
import { RunActivity, type ActivityListener } from '../core/run-activity';
import { DashboardPage } from './dashboard';
import { aJob, aRun } from './test-data';

interface FakeData {
  jobs: Job[];
  runs: Record<string, Run[]>;
  scheduler?: SchedulerStatus;
}

function fakeApi(data: FakeData) {
  return {
    jobs: vi.fn(async () => data.jobs),
    recentRuns: vi.fn(async () => Object.values(data.runs).flat()),
    jobRuns: vi.fn(async (id: string) => data.runs[id] ?? []),
    scheduler: vi.fn(async () => data.scheduler ?? { pausedUntil: null, next: [] }),
    runJob: vi.fn(async (id: string) => aRun({ id: 'new-run', jobId: id, status: 'queued' })),
    removeJob: vi.fn(async () => undefined),
  };
}

/** Stands in for the activity stream: the test sends its events by hand. */
function fakeActivity() {
  const fake = {
    listener: null as unknown as ActivityListener,
    stopped: false,
    follow: (listener: ActivityListener) => {
      fake.listener = listener;
      return () => (fake.stopped = true);
    },
  };
  return fake;
}

async function render(
  api: ReturnType<typeof fakeApi>,
  activity = fakeActivity(),
): Promise<ComponentFixture<DashboardPage>> {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      { provide: ApiService, useValue: api },
      { provide: RunActivity, useValue: activity },
      // The dialog closes when its exit animation ends, which jsdom never plays.
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    ],
  });
  const fixture = TestBed.createComponent(DashboardPage);
  await settle(fixture);
  return fixture;
}

/** Lets the fake API's promises resolve, then renders. */
async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }
}

const text = (fixture: ComponentFixture<unknown>) => (fixture.nativeElement as HTMLElement).textContent ?? '';
const query = <T extends Element>(fixture: ComponentFixture<unknown>, selector: string) =>
  (fixture.nativeElement as HTMLElement).querySelector<T>(selector);

describe('DashboardPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('invites to create the first backup when there are no jobs', async () => {
    const fixture = await render(fakeApi({ jobs: [], runs: {} }));
    const link = [...(fixture.nativeElement as HTMLElement).querySelectorAll('a')].find(
      (anchor) => anchor.textContent?.trim() === 'addCreate your first backup',
    );
    expect(link?.getAttribute('href')).toBe('/jobs/new');
    expect(query(fixture, 'app-job-card')).toBeNull();
    expect(query(fixture, 'app-summary-strip')).toBeNull();
  });

  it('shows a card per job with its name and repository size', async () => {
    const docs = aJob({ id: 'docs', name: 'Documents' });
    const photos = aJob({
      id: 'photos',
      name: 'Family photos',
      sources: ['/data/photos', '/data/music', '/data/x'],
    });
    const fixture = await render(
      fakeApi({
        jobs: [photos, docs],
        runs: {
          docs: [aRun({ jobId: 'docs', stats: { repositorySize: 3 * 1024 * 1024 } })],
          photos: [aRun({ jobId: 'photos', stats: { repositorySize: 512 } })],
        },
      }),
    );
    const cards = [...(fixture.nativeElement as HTMLElement).querySelectorAll('app-job-card')];
    expect(cards.map((card) => card.querySelector('h2')?.textContent?.trim())).toEqual([
      'Documents',
      'Family photos',
    ]);
    expect(cards[0].textContent).toContain('3.00 MiB');
    expect(cards[1].textContent).toContain('512 B');
    expect(cards[1].textContent).toContain('photos, music');
    expect(cards[1].textContent).toContain('+1 more');
    expect(cards[0].querySelector('svg[role="img"]')?.getAttribute('aria-label')).toContain('One backup');
    expect(text(fixture)).toContain('3.00 MiB');
    expect(query(fixture, 'app-attention-banner')).toBeNull();
  });

  it('names a failed job, its error and a link to the run in the banner', async () => {
    const failed = aRun({ id: 'run-9', jobId: 'docs', status: 'failed', error: 'disk full', stats: null });
    const fixture = await render(
      fakeApi({ jobs: [aJob({ id: 'docs', name: 'Documents' })], runs: { docs: [failed] } }),
    );
    const banner = query<HTMLElement>(fixture, 'app-attention-banner');
    expect(banner?.textContent).toContain('Documents');
    expect(banner?.textContent).toContain('disk full');
    expect(banner?.querySelector('a')?.getAttribute('href')).toBe('/runs/run-9');
    expect(query(fixture, 'app-status-chip')?.textContent).toContain('Failed');
  });

  it('marks an overdue job in the banner and on its card', async () => {
    const job = aJob({ id: 'docs', name: 'Documents', overdueAfterMinutes: 60 });
    // The page judges by the real clock, so these runs are dated from it.
    const recent = aRun({
      jobId: 'docs',
      startedAt: new Date().toISOString(),
      finishedAt: new Date().toISOString(),
    });
    const fixture = await render(fakeApi({ jobs: [job], runs: { docs: [recent] } }));
    expect(query(fixture, 'app-attention-banner')).toBeNull();
    expect(query(fixture, '.overdue')).toBeNull();

    TestBed.resetTestingModule();
    const stale = aRun({
      jobId: 'docs',
      startedAt: '2020-01-01T00:00:00Z',
      finishedAt: '2020-01-01T00:01:00Z',
    });
    const overdue = await render(fakeApi({ jobs: [job], runs: { docs: [stale] } }));
    expect(query(overdue, 'app-attention-banner')?.textContent).toContain(
      'Overdue: the last successful backup was',
    );
    expect(query(overdue, 'app-job-card .overdue')?.textContent).toContain('Overdue');
  });

  it('shows a load error with Retry, which loads again', async () => {
    const api = fakeApi({ jobs: [], runs: {} });
    api.jobs.mockRejectedValueOnce(new Error('gateway down'));
    const fixture = await render(api);
    const alert = query<HTMLElement>(fixture, '[role="alert"]');
    expect(alert?.textContent).toContain('Gateway down');

    alert?.querySelector('button')?.click();
    await settle(fixture);
    expect(api.jobs).toHaveBeenCalledTimes(2);
    expect(query(fixture, '[role="alert"]')).toBeNull();
    expect(text(fixture)).toContain('Create your first backup');
  });

  it('starts a backup and opens its run', async () => {
    const api = fakeApi({ jobs: [aJob({ id: 'docs' })], runs: {} });
    const fixture = await render(api);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);

    const button = [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find((candidate) =>
      candidate.textContent?.includes('Back up now'),
    );
    button?.click();
    await settle(fixture);

    expect(api.runJob).toHaveBeenCalledWith('docs');
    expect(navigate).toHaveBeenCalledWith(['/runs', 'new-run']);
  });

  it('links a running job to its run instead of offering another backup', async () => {
    const running = aRun({ id: 'run-7', jobId: 'docs', status: 'running', finishedAt: null, stats: null });
    const fixture = await render(fakeApi({ jobs: [aJob({ id: 'docs' })], runs: { docs: [running] } }));
    const card = query<HTMLElement>(fixture, 'app-job-card');
    const view = [...(card?.querySelectorAll('a') ?? [])].find((anchor) =>
      anchor.textContent?.includes('View run'),
    );
    expect(view?.getAttribute('href')).toBe('/runs/run-7');
    expect(card?.textContent).not.toContain('Back up now');
    expect(card?.querySelector('mat-progress-bar')).not.toBeNull();
  });

  it('deletes a job only after the person confirms', async () => {
    const api = fakeApi({ jobs: [aJob({ id: 'docs', name: 'Documents' })], runs: {} });
    const fixture = await render(api);
    const clickInOverlay = async (label: string) => {
      const target = [...document.querySelectorAll<HTMLElement>('.cdk-overlay-container button')].find(
        (button) => button.textContent?.trim().endsWith(label),
      );
      target?.click();
      await settle(fixture);
      return target;
    };
    const openDialog = async () => {
      query<HTMLElement>(fixture, 'button[aria-label="More actions for Documents"]')?.click();
      await settle(fixture);
      expect(await clickInOverlay('Delete')).toBeDefined();
      expect(document.querySelector('[mat-dialog-title]')?.textContent).toContain('Delete “Documents”?');
    };

    await openDialog();
    await clickInOverlay('Cancel');
    expect(api.removeJob).not.toHaveBeenCalled();

    await openDialog();
    await clickInOverlay('Delete job');
    expect(api.removeJob).toHaveBeenCalledWith('docs');
  });

  describe('refresh', () => {
    let visibility: DocumentVisibilityState;

    beforeEach(() => {
      visibility = 'visible';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
      delete (document as { visibilityState?: unknown }).visibilityState;
    });

    it('reloads every 15 seconds while the page is visible, keeping the cards meanwhile', async () => {
      const api = fakeApi({ jobs: [aJob({ name: 'Documents' })], runs: {} });
      const fixture = await render(api);
      expect(api.jobs).toHaveBeenCalledTimes(1);

      vi.advanceTimersByTime(10_000);
      expect(api.jobs).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(5_000);
      expect(api.jobs).toHaveBeenCalledTimes(2);
      expect(query(fixture, 'app-job-card')?.textContent).toContain('Documents');
      await settle(fixture);

      visibility = 'hidden';
      vi.advanceTimersByTime(60_000);
      expect(api.jobs).toHaveBeenCalledTimes(2);
      visibility = 'visible';
      document.dispatchEvent(new Event('visibilitychange'));
      expect(api.jobs).toHaveBeenCalledTimes(3);
    });

    it('reloads every 5 seconds while a run is going and the activity stream is down', async () => {
      const running = aRun({ jobId: 'job-1', status: 'running', finishedAt: null, stats: null });
      const api = fakeApi({ jobs: [aJob()], runs: { 'job-1': [running] } });
      const activity = fakeActivity();
      const fixture = await render(api, activity);
      vi.advanceTimersByTime(5_000);
      expect(api.jobs).toHaveBeenCalledTimes(2);
      await settle(fixture);

      // With the stream up the card follows its events: the usual 15 seconds.
      activity.listener.connected(true);
      vi.advanceTimersByTime(5_000);
      expect(api.jobs).toHaveBeenCalledTimes(2);
      vi.advanceTimersByTime(10_000);
      expect(api.jobs).toHaveBeenCalledTimes(3);
    });
  });

  describe('live runs from the activity stream', () => {
    const running = () =>
      aRun({ id: 'run-7', jobId: 'docs', status: 'running', finishedAt: null, stats: null });
    const finished = (fields: Partial<RunFinished> = {}): RunFinished => ({
      runId: 'run-7',
      jobId: 'docs',
      kind: 'backup',
      status: 'succeeded',
      startedAt: new Date(Date.now() - 60_000).toISOString(),
      finishedAt: new Date().toISOString(),
      stats: { bytesAdded: 3 * 2 ** 20, filesNew: 2, filesChanged: 0, filesUnmodified: 8 },
      error: null,
      failedAtStart: false,
      logTail: [],
      ...fields,
    });
    const card = (fixture: ComponentFixture<unknown>, name: string) =>
      [...(fixture.nativeElement as HTMLElement).querySelectorAll('app-job-card')].find(
        (candidate) => candidate.querySelector('h2')?.textContent?.trim() === name,
      );

    it("shows a run's progress on its card, then its result when it ends, loading nothing", async () => {
      const api = fakeApi({
        jobs: [aJob({ id: 'docs', name: 'Documents' }), aJob({ id: 'music', name: 'Music' })],
        runs: { docs: [running()] },
      });
      const activity = fakeActivity();
      const fixture = await render(api, activity);
      activity.listener.connected(true);
      activity.listener.progress({
        runId: 'run-7',
        phase: 'backup',
        filesDone: 3,
        filesTotal: 12,
        bytesDone: 2 ** 20,
        bytesTotal: 4 * 2 ** 20,
        currentPath: '/data/documents/tax.pdf',
        elapsedMs: 2_000,
      });
      await settle(fixture);
      expect(card(fixture, 'Documents')?.querySelector('[data-live="percent"]')?.textContent).toBe('25%');
      expect(card(fixture, 'Documents')?.textContent).toContain('tax.pdf');
      expect(card(fixture, 'Music')?.querySelector('[data-live]')).toBeNull();

      activity.listener.finished(finished());
      await settle(fixture);
      const done = card(fixture, 'Documents');
      expect(done?.querySelector('[data-live]')).toBeNull();
      expect(done?.textContent).toContain('Succeeded');
      expect(done?.textContent).toContain('+3.00 MiB');
      expect(done?.textContent).toContain('Back up now');
      expect(api.jobs).toHaveBeenCalledTimes(1);
      expect(api.recentRuns).toHaveBeenCalledTimes(1);
      expect(api.jobRuns).not.toHaveBeenCalled();
    });

    it('keeps the ended run ended when a load answers before the catalog recorded the end', async () => {
      const api = fakeApi({ jobs: [aJob({ id: 'docs', name: 'Documents' })], runs: { docs: [running()] } });
      const activity = fakeActivity();
      const fixture = await render(api, activity);
      activity.listener.finished(finished({ status: 'failed', error: 'disk full', stats: {} }));
      await fixture.componentInstance.load();
      await settle(fixture);
      expect(card(fixture, 'Documents')?.textContent).toContain('Failed');
    });

    it('fetches the runs of that job alone when one of its runs starts unseen', async () => {
      const data = {
        jobs: [aJob({ id: 'docs', name: 'Documents' }), aJob({ id: 'music', name: 'Music' })],
        runs: {} as Record<string, Run[]>,
      };
      const api = fakeApi(data);
      const activity = fakeActivity();
      const fixture = await render(api, activity);
      expect(card(fixture, 'Documents')?.textContent).toContain('Back up now');

      data.runs['docs'] = [running()];
      activity.listener.started({
        runId: 'run-7',
        jobId: 'docs',
        kind: 'backup',
        startedAt: new Date().toISOString(),
        runner: 'runner-1',
      });
      await settle(fixture);
      expect(api.jobRuns).toHaveBeenLastCalledWith('docs', 20);
      expect(api.jobRuns).toHaveBeenCalledTimes(1);
      expect(api.jobs).toHaveBeenCalledTimes(1);
      expect(card(fixture, 'Documents')?.textContent).toContain('View run');
    });

    it('loads again when the stream is back after a break, and stops following on leaving', async () => {
      const api = fakeApi({ jobs: [aJob()], runs: {} });
      const activity = fakeActivity();
      const fixture = await render(api, activity);
      activity.listener.connected(true);
      expect(api.jobs).toHaveBeenCalledTimes(1);
      activity.listener.connected(false);
      activity.listener.connected(true);
      await settle(fixture);
      expect(api.jobs).toHaveBeenCalledTimes(2);
      fixture.destroy();
      expect(activity.stopped).toBe(true);
    });
  });
});
