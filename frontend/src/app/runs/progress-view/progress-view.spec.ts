import { ComponentFixture, TestBed } from '@angular/core/testing';
import type { RunProgress, RunStatus } from '../../core/api.types';
import { ProgressView } from './progress-view';

const REPORT: RunProgress = {
  runId: 'run-1',
  phase: 'backup',
  filesDone: 120,
  filesTotal: 480,
  bytesDone: 256 * 2 ** 20,
  bytesTotal: 1024 * 2 ** 20,
  currentPath: '/home/ada/photos/lake.jpg',
  elapsedMs: 32_000,
};

describe('ProgressView', () => {
  let fixture: ComponentFixture<ProgressView>;

  async function render(progress: RunProgress | null, status: RunStatus): Promise<HTMLElement> {
    fixture.componentRef.setInput('progress', progress);
    fixture.componentRef.setInput('status', status);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const figure = (element: HTMLElement, name: string) =>
    element.querySelector(`[data-figure="${name}"]`)?.textContent?.trim();
  const bar = (element: HTMLElement) => element.querySelector('mat-progress-bar')!;

  beforeEach(() => {
    fixture = TestBed.createComponent(ProgressView);
  });

  it('shows how far a running backup has got, how fast, and the file at hand', async () => {
    const element = await render(REPORT, 'running');
    expect(element.querySelector('h2')?.textContent).toContain('Backing up');
    expect(bar(element).getAttribute('aria-valuenow')).toBe('25');
    expect(figure(element, 'percent')).toBe('25%');
    expect(figure(element, 'files')).toBe('120 of 480');
    expect(figure(element, 'bytes')).toBe('256.0 MiB of 1.00 GiB');
    expect(figure(element, 'speed')).toBe('8.00 MiB/s');
    expect(figure(element, 'eta')).toBe('about 1 min 36 s');
    expect(figure(element, 'elapsed')).toBe('32 s');
    expect(figure(element, 'current')).toBe('/home/ada/photos/lake.jpg');
    // The unit once when both figures share it.
    await render({ ...REPORT, bytesDone: 418.1 * 2 ** 20, bytesTotal: 420 * 2 ** 20 }, 'running');
    expect(figure(element, 'bytes')).toBe('418.1 of 420.0 MiB');
  });

  it('shows activity without a value while the totals are unknown', async () => {
    const element = await render(
      { ...REPORT, phase: 'opening repository', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0 },
      'running',
    );
    expect(element.querySelector('h2')?.textContent).toContain('Opening repository');
    expect(bar(element).getAttribute('mode')).toBe('indeterminate');
    expect(figure(element, 'percent')).toBeUndefined();
    expect(figure(element, 'eta')).toBe('estimating…');
    expect(figure(element, 'speed')).toBe('—');
  });

  it('says a queued run waits for a runner', async () => {
    const element = await render(null, 'queued');
    expect(element.querySelector('h2')?.textContent).toContain('Waiting for a runner');
    expect(bar(element).getAttribute('mode')).toBe('query');
    expect(figure(element, 'files')).toBe('—');
    expect(element.querySelector('[data-figure="current"]')).toBeNull();
  });

  it('fills the bar and drops the current file once the run finished', async () => {
    const element = await render({ ...REPORT, filesDone: 479, bytesDone: 1000 * 2 ** 20 }, 'succeeded');
    expect(element.querySelector('h2')?.textContent).toContain('Finished');
    expect(bar(element).getAttribute('aria-valuenow')).toBe('100');
    expect(element.querySelector('[data-figure="eta"]')).toBeNull();
    expect(element.querySelector('[data-figure="current"]')).toBeNull();
  });
});
