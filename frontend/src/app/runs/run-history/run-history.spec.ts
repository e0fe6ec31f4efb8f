import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApiService } from '../../core/api';
import { settle } from '../../settings/test-helpers';
import type { Run } from '../../core/api.types';
import { aJob, aRun } from '../../dashboard/test-data';
import { PAGE_SIZE, RunHistoryPage } from './run-history';

function fakeApi(runs: Run[]) {
  return {
    jobs: vi.fn(async () => [
      aJob({ id: 'job-1', name: 'Documents' }),
      aJob({ id: 'job-2', name: 'Photos' }),
    ]),
    runs: vi.fn(async (filter: { limit?: number; offset?: number }) =>
      runs.slice(filter.offset ?? 0, (filter.offset ?? 0) + (filter.limit ?? 50)),
    ),
  };
}

async function render(api: ReturnType<typeof fakeApi>, query: Record<string, string> = {}) {
  TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: ApiService, useValue: api }] });
  const fixture = TestBed.createComponent(RunHistoryPage);
  for (const [name, value] of Object.entries(query)) fixture.componentRef.setInput(name, value);
  await settle(fixture);
  return fixture;
}

const rows = (fixture: ComponentFixture<unknown>) => [
  ...(fixture.nativeElement as HTMLElement).querySelectorAll<HTMLAnchorElement>('a.run'),
];
const button = (fixture: ComponentFixture<unknown>, label: string) =>
  [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find((candidate) =>
    candidate.textContent?.includes(label),
  )!;

describe('RunHistoryPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('lists each run with its job, kind, trigger, duration and figures, linked to its run page', async () => {
    const run = aRun({
      id: 'run-1',
      jobId: 'job-2',
      kind: 'backup',
      trigger: 'schedule',
      durationMs: 65_000,
      stats: { filesNew: 2, filesChanged: 1, filesUnmodified: 9, bytesAdded: 2048 },
    });
    const fixture = await render(fakeApi([run]));
    const [row] = rows(fixture);
    expect(row?.getAttribute('href')).toBe('/runs/run-1');
    const text = row?.textContent?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain('Photos');
    expect(text).toContain('Backup · Scheduled');
    expect(text).toContain('1 min 5 s');
    expect(text).toContain('12 files · +2.00 KiB');
  });

  it('asks the server for the filters in the address, one run more than a page', async () => {
    const api = fakeApi([]);
    const fixture = await render(api, { job: 'job-1', status: 'failed', kind: 'verify', page: '2' });
    expect(api.runs).toHaveBeenLastCalledWith({
      jobId: 'job-1',
      status: 'failed',
      kind: 'verify',
      limit: PAGE_SIZE + 1,
      offset: 2 * PAGE_SIZE,
    });
    expect((fixture.nativeElement as HTMLElement).querySelector('h1')?.textContent).toContain(
      'History of “Documents”',
    );
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('No runs match these filters.');
  });

  it('offers an older page only when the server has one, and goes there through the address', async () => {
    const runs = Array.from({ length: PAGE_SIZE + 1 }, (_, index) => aRun({ id: `run-${index}` }));
    const fixture = await render(fakeApi(runs));
    expect(rows(fixture)).toHaveLength(PAGE_SIZE);
    expect(button(fixture, 'Newer').disabled).toBe(true);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    button(fixture, 'Older').click();
    expect(navigate).toHaveBeenCalledWith([], { queryParams: { page: 1 }, queryParamsHandling: 'merge' });

    const last = await (async () => {
      TestBed.resetTestingModule();
      return render(fakeApi(runs.slice(0, PAGE_SIZE)));
    })();
    expect(button(last, 'Older').disabled).toBe(true);
  });
});
