import { HttpErrorResponse } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { ApiService } from '../../core/api';
import type { Job, Run } from '../../core/api.types';
import { aJob, aRun } from '../../dashboard/test-data';
import { alerts, button, root, settle } from '../../settings/test-helpers';
import { MaintenancePage } from './maintenance-page';

function fakeApi(job: Job, runs: Run[] = []) {
  return {
    job: vi.fn(async () => job),
    jobRuns: vi.fn(async () => runs),
    runJob: vi.fn(async (_id: string, kind: Run['kind']) => aRun({ id: 'run-new', kind })),
  };
}

async function render(api: ReturnType<typeof fakeApi>) {
  TestBed.configureTestingModule({ providers: [provideRouter([]), { provide: ApiService, useValue: api }] });
  const fixture = TestBed.createComponent(MaintenancePage);
  fixture.componentRef.setInput('id', 'job-1');
  await settle(fixture);
  const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  return { fixture, navigate };
}

/** The open dialog (rendered outside the component, in the overlay). */
const dialog = () => document.querySelector<HTMLElement>('mat-dialog-container');
async function answerDialog(fixture: ComponentFixture<unknown>, label: string): Promise<void> {
  const choice = [...dialog()!.querySelectorAll('button')].find((each) => each.textContent?.trim() === label);
  choice!.click();
  // The dialog reports its answer once its closing animation is over.
  await vi.waitFor(() => expect(document.querySelector('mat-dialog-container')).toBeNull());
  await settle(fixture);
}

function typeShare(fixture: ComponentFixture<unknown>, value: string): void {
  const input = root(fixture).querySelector<HTMLInputElement>('input[type="number"]')!;
  input.value = value;
  input.dispatchEvent(new Event('input'));
  fixture.detectChanges();
}

describe('MaintenancePage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('verifies the structure alone, or a share of the data, then opens the run', async () => {
    const api = fakeApi(aJob());
    const { fixture, navigate } = await render(api);
    expect(root(fixture).querySelector('h1')?.textContent).toContain('Documents');

    button(fixture, 'Verify').click();
    await settle(fixture);
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'verify', { readData: false, readDataSubset: 0 });
    expect(navigate).toHaveBeenLastCalledWith(['/runs', 'run-new']);

    typeShare(fixture, '25');
    button(fixture, 'Verify data: 25 %').click();
    await settle(fixture);
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'verify', { readData: false, readDataSubset: 0.25 });

    typeShare(fixture, '100');
    button(fixture, 'Verify data: 100 %').click();
    await settle(fixture);
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'verify', { readData: true, readDataSubset: 1 });
  });

  it('refuses a share that is not a whole percent, in words, before asking the server', async () => {
    const api = fakeApi(aJob());
    const { fixture } = await render(api);
    for (const typed of ['0', '101', '2.5', '']) {
      typeShare(fixture, typed);
      expect(root(fixture).textContent).toContain('Enter a whole number from 1 to 100');
      expect(button(fixture, 'Verify data: … %').disabled).toBe(true);
    }
    expect(api.runJob).not.toHaveBeenCalled();
  });

  it('asks before pruning, in plain words; Cancel starts nothing, confirming starts the prune', async () => {
    const api = fakeApi(aJob());
    const { fixture } = await render(api);
    button(fixture, 'Prune…').click();
    await settle(fixture);
    expect(dialog()?.textContent).toContain('Prune “Documents”?');
    expect(dialog()?.textContent).toContain('deleted from the destination for good');
    await answerDialog(fixture, 'Cancel');
    expect(api.runJob).not.toHaveBeenCalled();

    button(fixture, 'Prune…').click();
    await settle(fixture);
    await answerDialog(fixture, 'Prune now');
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'prune', undefined);
  });

  it('asks before repairing the index, saying nothing is deleted, then starts the repair', async () => {
    const api = fakeApi(aJob());
    const { fixture, navigate } = await render(api);
    button(fixture, 'Repair index…').click();
    await settle(fixture);
    expect(dialog()?.textContent).toContain('Repair the index of “Documents”?');
    expect(dialog()?.textContent).toContain('no data is deleted');
    await answerDialog(fixture, 'Cancel');
    expect(api.runJob).not.toHaveBeenCalled();

    button(fixture, 'Repair index…').click();
    await settle(fixture);
    await answerDialog(fixture, 'Repair now');
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'repair', undefined);
    expect(navigate).toHaveBeenCalledWith(['/runs', 'run-new']);
  });

  it("shows the server's refusal of an unlock while a run is going", async () => {
    const api = fakeApi(aJob());
    const message =
      'a backup of "Documents" is running, and its lock on the repository is in use: unlock only removes locks left by runs that stopped; wait for it to finish, or cancel it first';
    api.runJob.mockRejectedValueOnce(
      new HttpErrorResponse({ status: 409, error: { error: { code: 'conflict', message } } }),
    );
    const { fixture, navigate } = await render(api);
    button(fixture, 'Unlock…').click();
    await settle(fixture);
    expect(dialog()?.textContent).toContain('Every lock on the repository is removed');
    await answerDialog(fixture, 'Remove the locks');
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'unlock', undefined);
    expect(alerts(fixture)).toEqual([message.charAt(0).toUpperCase() + message.slice(1)]);
    expect(navigate).not.toHaveBeenCalled();
  });

  it('applies retention only for a job that has one, and lists the recent maintenance runs, not backups', async () => {
    const runs = [
      aRun({ id: 'run-b', kind: 'backup' }),
      aRun({ id: 'run-v', kind: 'verify', trigger: 'schedule' }),
      aRun({ id: 'run-u', kind: 'unlock', status: 'failed', trigger: 'api' }),
    ];
    const keeping = await render(fakeApi(aJob(), runs));
    expect(root(keeping.fixture).textContent).toContain('it has no retention to apply');
    expect(() => button(keeping.fixture, 'Apply retention')).toThrow();
    const links = [...root(keeping.fixture).querySelectorAll<HTMLAnchorElement>('a.run')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['/runs/run-v', '/runs/run-u']);
    expect(links[0]!.textContent).toContain('Check · Scheduled');
    expect(links[1]!.textContent).toContain('Unlock · On request');
    TestBed.resetTestingModule();

    const api = fakeApi(
      aJob({ retention: { keepLast: 3 }, verifySchedule: { cron: '0 4 * * 0', timezone: 'UTC' } }),
    );
    const { fixture } = await render(api);
    expect(root(fixture).textContent).toContain('Retention: Keep the last 3 backups.');
    expect(root(fixture).textContent).toContain('Also on a schedule: Every week, Sunday at 04:00 (UTC)');
    button(fixture, 'Apply retention').click();
    await settle(fixture);
    expect(api.runJob).toHaveBeenLastCalledWith('job-1', 'forget', undefined);
  });
});
