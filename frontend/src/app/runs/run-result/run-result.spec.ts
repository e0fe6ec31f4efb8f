import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Run } from '../../core/api.types';
import { RunResult } from './run-result';

const BACKUP: Run = {
  id: 'run-1',
  jobId: 'job-1',
  kind: 'backup',
  status: 'succeeded',
  trigger: 'schedule',
  queuedAt: '2026-11-23T10:00:00.000Z',
  startedAt: '2026-11-23T10:00:00.000Z',
  finishedAt: '2026-11-23T10:03:20.000Z',
  stats: {
    filesNew: 3,
    filesChanged: 1,
    filesUnmodified: 1200,
    bytesAdded: 5 * 2 ** 20,
    snapshotId: 'ef'.repeat(32),
  },
  error: null,
};

describe('RunResult', () => {
  let fixture: ComponentFixture<RunResult>;

  async function render(run: Run, warnings: string[] = []): Promise<HTMLElement> {
    fixture.componentRef.setInput('run', run);
    fixture.componentRef.setInput('warnings', warnings);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }
  const figures = (element: HTMLElement) =>
    Object.fromEntries(
      [...element.querySelectorAll('.figures > div')].map((item) => [
        item.querySelector('dt')?.textContent?.trim(),
        item.querySelector('dd')?.textContent?.trim(),
      ]),
    );

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    fixture = TestBed.createComponent(RunResult);
  });

  it('sums up a backup: duration, file counts, data added and a link to its snapshot', async () => {
    const element = await render(BACKUP);
    expect(element.querySelector('.verdict')?.textContent).toContain('The backup succeeded.');
    expect(figures(element)).toEqual({
      Duration: '3 min 20 s',
      'New files': '3',
      'Changed files': '1',
      'Unmodified files': (1200).toLocaleString(),
      'Data added': '5.00 MiB',
      Snapshot: 'efefefef',
    });
    expect(element.querySelector('a.snapshot')?.getAttribute('href')).toBe('/jobs/job-1/snapshots');
  });

  it('says what went wrong in a failed run, and lists the warnings', async () => {
    const element = await render(
      { ...BACKUP, status: 'failed', stats: { warnings: 1 }, error: 'destination is full' },
      ['/srv/locked.db: permission denied'],
    );
    expect(element.querySelector('.verdict')?.textContent).toContain('The backup failed.');
    expect(element.querySelector('.problem')?.textContent).toContain('destination is full');
    expect(element.querySelector('.warnings')?.textContent).toContain('/srv/locked.db: permission denied');
  });

  it('does not repeat a cancelled run’s error as a problem', async () => {
    const element = await render({
      ...BACKUP,
      status: 'cancelled',
      stats: {},
      error: 'cancelled (cancel requested)',
    });
    expect(element.querySelector('.verdict')?.textContent).toContain('The backup was cancelled.');
    expect(element.querySelector('.problem')).toBeNull();
  });
});
