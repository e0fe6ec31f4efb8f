import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Run, RunProgress } from '../../core/api.types';
import { buildOverviews } from '../overview';
import { NOW, aJob, aRun, minutesAgo } from '../test-data';
import { JobCard } from './job-card';

const REPORT: RunProgress = {
  runId: 'running',
  phase: 'backup',
  filesDone: 120,
  filesTotal: 480,
  bytesDone: 256 * 2 ** 20,
  bytesTotal: 1024 * 2 ** 20,
  currentPath: '/srv/data/photos/2026/lake.jpg',
  elapsedMs: 32_000,
};

const running = (fields: Partial<Run> = {}): Run =>
  aRun({
    id: 'running',
    status: 'running',
    startedAt: minutesAgo(1),
    finishedAt: null,
    stats: null,
    ...fields,
  });

describe('JobCard', () => {
  let fixture: ComponentFixture<JobCard>;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(JobCard);
  });

  async function render(runs: Run[], progress: RunProgress | null = null): Promise<HTMLElement> {
    const [overview] = buildOverviews([aJob()], new Map([['job-1', runs]]), null, NOW);
    fixture.componentRef.setInput('overview', overview);
    fixture.componentRef.setInput('now', NOW);
    fixture.componentRef.setInput('progress', progress);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const live = (element: HTMLElement, part: string) =>
    element.querySelector(`[data-live="${part}"]`)?.textContent?.trim();
  /** The line's pieces: the heading, the percent, then the figures (the dots between are drawn by CSS). */
  const line = (element: HTMLElement) =>
    [...(element.querySelector('[data-live="line"]')?.children ?? [])].map((piece) =>
      piece.textContent?.trim(),
    );
  const bar = (element: HTMLElement) => element.querySelector('mat-progress-bar');

  it("shows a running backup's percent, counts, speed, time left and file, as they come", async () => {
    const element = await render([running(), aRun()], REPORT);
    expect(line(element)).toEqual([
      'Backing up',
      '25%',
      '120 of 480 files',
      '256.0 MiB of 1.00 GiB',
      '8.00 MiB/s',
      'about 1 min 36 s left',
    ]);
    expect(live(element, 'current')).toBe('description/srv/data/photos/2026/lake.jpg');
    expect(element.querySelector('.current .name')?.textContent).toBe('lake.jpg');
    expect(element.querySelector('.current')?.getAttribute('title')).toBe(REPORT.currentPath);
    expect(bar(element)?.getAttribute('mode')).toBe('determinate');
    expect(bar(element)?.getAttribute('aria-valuenow')).toBe('25');
    expect(element.textContent).toContain('View run');

    await render([running(), aRun()], { ...REPORT, filesDone: 240, bytesDone: 512 * 2 ** 20 });
    expect(live(element, 'percent')).toBe('50%');
    expect(line(element)).toContain('240 of 480 files');
  });

  it('says what a run does before its first report, and that a queued one waits', async () => {
    let element = await render([running()]);
    expect(line(element)).toEqual(['Starting']);
    expect(bar(element)?.getAttribute('mode')).toBe('indeterminate');
    expect(live(element, 'current')).toBeUndefined();

    element = await render([running({ status: 'queued', startedAt: null })]);
    expect(line(element)).toEqual(['Waiting for a runner']);
    expect(bar(element)?.getAttribute('mode')).toBe('query');
  });

  it('leaves out what is not known yet: no speed before bytes, no time left without totals', async () => {
    const element = await render([running()], {
      ...REPORT,
      phase: 'scanning',
      filesDone: 1,
      filesTotal: 0,
      bytesDone: 0,
      bytesTotal: 0,
    });
    expect(line(element)).toEqual(['Scanning', '1 file', '0 B']);
    expect(live(element, 'percent')).toBeUndefined();
  });

  it('turns to the result once the run ended: no progress line, the last backup instead', async () => {
    const element = await render(
      [aRun({ id: 'running', finishedMinutesAgo: 0.1, stats: { bytesAdded: 3 * 2 ** 20 } })],
      REPORT,
    );
    expect(live(element, 'line')).toBeUndefined();
    expect(bar(element)).toBeNull();
    expect(element.textContent).toContain('just now');
    expect(element.textContent).toContain('+3.00 MiB');
    expect(element.textContent).toContain('Back up now');
  });
});
