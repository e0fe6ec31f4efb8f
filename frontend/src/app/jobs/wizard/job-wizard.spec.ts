import { HttpErrorResponse } from '@angular/common/http';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { MATERIAL_ANIMATIONS } from '@angular/material/core';
import { MatStepper } from '@angular/material/stepper';
import { By } from '@angular/platform-browser';
import { Router, provideRouter } from '@angular/router';
import { ApiService } from '../../core/api';
import type { Destination, Job, TreeEntry } from '../../core/api.types';
import { browserTimeZone } from '../lib/cron';
import { SMART_POLICY } from '../lib/retention';
import { JobWizardPage } from './job-wizard';

const STAMP = '2026-11-23T10:00:00.000Z';

function entry(path: string, type: 'dir' | 'file'): TreeEntry {
  return { name: path.split('/').pop() ?? path, path, type, mtime: STAMP, mode: 0o755 };
}

const TREE: Record<string, TreeEntry[]> = {
  '/': [entry('/data', 'dir')],
  '/data': [entry('/data/photos', 'dir'), { ...entry('/data/notes.md', 'file'), size: 29 }],
};

const SAVED: Destination = {
  id: 'dest-1',
  name: 'NAS',
  url: '/mnt/nas',
  options: {},
  secrets: {},
  createdAt: STAMP,
  updatedAt: STAMP,
};

const JOB: Job = {
  id: 'job-1',
  name: 'Photos',
  sources: ['/data/photos'],
  excludes: ['*.tmp'],
  destinationId: 'dest-1',
  repositoryPath: 'photos',
  schedule: { cron: '0 3 * * 0', timezone: 'UTC' },
  verifySchedule: { cron: '0 4 1 * *', timezone: 'UTC' },
  retention: { keepLast: 10 },
  compression: 'off',
  packSizeMiB: 32,
  minSourceFilesPercent: 50,
  enabled: true,
  channelIds: [],
  overdueAfterMinutes: null,
  passphrase: { set: true },
  createdAt: STAMP,
  updatedAt: STAMP,
};

function fakeApi(destinations: Destination[] = []) {
  return {
    destinations: vi.fn(async () => destinations),
    channels: vi.fn(async () => []),
    job: vi.fn(async () => JOB),
    sources: vi.fn(async (path: string) => TREE[path] ?? []),
    testDestination: vi.fn(async () => ({
      ok: true,
      message: 'wrote, listed, read back and removed a test file',
      latencyMs: 12,
    })),
    testSavedDestination: vi.fn(async () => ({ ok: false, message: 'permission denied', latencyMs: 3 })),
    createDestination: vi.fn(async (input: { name: string; url: string }) => ({
      ...SAVED,
      ...input,
      id: 'dest-new',
    })),
    createJob: vi.fn(async () => JOB),
    updateJob: vi.fn(async () => JOB),
  };
}

type FakeApi = ReturnType<typeof fakeApi>;

async function render(api: FakeApi, id?: string): Promise<ComponentFixture<JobWizardPage>> {
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      { provide: ApiService, useValue: api },
      { provide: MATERIAL_ANIMATIONS, useValue: { animationsDisabled: true } },
    ],
  });
  const fixture = TestBed.createComponent(JobWizardPage);
  if (id) fixture.componentRef.setInput('id', id);
  await settle(fixture);
  return fixture;
}

async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let round = 0; round < 4; round++) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }
}

/** The open step's panel: the other steps are rendered too, but inert. */
function panel(fixture: ComponentFixture<unknown>): HTMLElement {
  const current = (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(
    '.mat-horizontal-stepper-content-current',
  );
  if (!current) throw new Error('no open step');
  return current;
}

function stepIndex(fixture: ComponentFixture<unknown>): number {
  return (fixture.debugElement.query(By.directive(MatStepper)).componentInstance as MatStepper).selectedIndex;
}

function field(fixture: ComponentFixture<unknown>, label: string): HTMLInputElement {
  const formField = [...panel(fixture).querySelectorAll('mat-form-field')].find(
    (candidate) => candidate.querySelector('mat-label')?.textContent?.trim() === label,
  );
  const input = formField?.querySelector<HTMLInputElement>('input, textarea');
  if (!input) throw new Error(`no field labelled ${label}`);
  return input;
}

async function type(fixture: ComponentFixture<unknown>, label: string, value: string): Promise<void> {
  const input = field(fixture, label);
  input.value = value;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
  await settle(fixture);
}

async function press(fixture: ComponentFixture<unknown>, text: string): Promise<void> {
  const button = [...panel(fixture).querySelectorAll('button')].find((candidate) =>
    candidate.textContent
      ?.replace(/arrow_forward|network_check|check|save/g, '')
      .trim()
      .startsWith(text),
  );
  if (!button) throw new Error(`no button ${text}`);
  button.click();
  await settle(fixture);
}

const errors = (fixture: ComponentFixture<unknown>) =>
  [...panel(fixture).querySelectorAll('mat-error, [role="alert"]')].map((error) => error.textContent?.trim());

async function fillGeneral(fixture: ComponentFixture<unknown>): Promise<void> {
  await type(fixture, 'Backup name', 'Family photos');
  await type(fixture, 'Passphrase', 'correct horse battery staple');
  await type(fixture, 'Repeat passphrase', 'correct horse battery staple');
  await press(fixture, 'Next');
}

async function tick(fixture: ComponentFixture<unknown>, name: string): Promise<void> {
  const checkbox = [...panel(fixture).querySelectorAll('mat-checkbox')].find((candidate) =>
    candidate.textContent?.includes(name),
  );
  checkbox?.querySelector<HTMLInputElement>('input')?.click();
  await settle(fixture);
}

describe('JobWizardPage', () => {
  afterEach(() => TestBed.resetTestingModule());

  it('refuses to leave General without a name and a passphrase, saying why', async () => {
    const fixture = await render(fakeApi());
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(0);
    expect(errors(fixture)).toEqual(['Give the backup a name', 'Choose a passphrase']);
  });

  it('wants eight characters, typed the same twice', async () => {
    const fixture = await render(fakeApi());
    await type(fixture, 'Backup name', 'Family photos');
    await type(fixture, 'Passphrase', 'short');
    await type(fixture, 'Repeat passphrase', 'short');
    await press(fixture, 'Next');
    expect(errors(fixture)).toEqual(['The passphrase needs at least 8 characters']);
    await type(fixture, 'Passphrase', 'Password1!');
    expect(errors(fixture)[0]).toMatch(/^This passphrase is among the first a guesser tries/);
    await type(fixture, 'Passphrase', 'long enough words');
    expect(errors(fixture)).toEqual(['The two passphrases differ']);
    await type(fixture, 'Repeat passphrase', 'long enough words');
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(1);
  });

  it('rates the passphrase with a bar and a word', async () => {
    const fixture = await render(fakeApi());
    await type(fixture, 'Passphrase', 'password');
    const meter = panel(fixture).querySelector('[role="meter"]');
    expect(meter?.getAttribute('aria-valuetext')).toBe('Very weak');
    expect(panel(fixture).querySelectorAll('.segment.on')).toHaveLength(1);
    await type(fixture, 'Passphrase', 'correct horse battery staple');
    expect(meter?.getAttribute('aria-valuetext')).toBe('Very strong');
  });

  it('refuses a relative folder path on the Destination step', async () => {
    const fixture = await render(fakeApi());
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', 'backups');
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(1);
    expect(errors(fixture)).toContain('Enter an absolute folder path, starting with /');
  });

  it('tests the destination as typed and shows the result', async () => {
    const api = fakeApi();
    const fixture = await render(api);
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', '/srv/backups/');
    await press(fixture, 'Test connection');
    expect(api.testDestination).toHaveBeenCalledWith({ url: '/srv/backups', options: {}, secrets: {} });
    const result = panel(fixture).querySelector('[role="status"]')?.textContent ?? '';
    expect(result).toContain('Connection works');
    expect(result).toContain('12 ms');
    expect(result).toContain('wrote, listed, read back and removed a test file');
    // Another path makes the old result stale.
    await type(fixture, 'Folder path', '/srv/other');
    expect(panel(fixture).querySelector('[role="status"]')).toBeNull();
  });

  it('tests a saved destination through its id and shows a failure as an alert', async () => {
    const api = fakeApi([SAVED]);
    const fixture = await render(api);
    await fillGeneral(fixture);
    await press(fixture, 'Test connection');
    expect(api.testSavedDestination).toHaveBeenCalledWith('dest-1');
    expect(errors(fixture).join(' ')).toContain('Connection failed');
    expect(errors(fixture).join(' ')).toContain('permission denied');
  });

  it('needs at least one source, picked in the tree', async () => {
    const fixture = await render(fakeApi());
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', '/srv/backups');
    await press(fixture, 'Next');
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(2);
    expect(errors(fixture)).toContain('Choose at least one folder to back up');
    await tick(fixture, 'photos');
    expect(panel(fixture).querySelector('mat-chip-set')?.textContent).toContain('/data/photos');
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(3);
  });

  it('creates the destination, then the job, then opens the dashboard', async () => {
    const api = fakeApi();
    const fixture = await render(api);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', '/srv/backups');
    await press(fixture, 'Next');
    await tick(fixture, 'photos');
    for (const step of ['Sources', 'Schedule', 'Retention', 'Options']) {
      await press(fixture, 'Next');
      expect(stepIndex(fixture), step).toBeGreaterThan(2);
    }
    expect(panel(fixture).textContent).toContain('Every day at 02:30');
    await press(fixture, 'Create backup');
    expect(api.createDestination).toHaveBeenCalledWith({
      name: 'Folder backups',
      url: '/srv/backups',
      options: {},
      secrets: {},
    });
    expect(api.createJob).toHaveBeenCalledWith({
      name: 'Family photos',
      sources: ['/data/photos'],
      excludes: [],
      destinationId: 'dest-new',
      schedule: { cron: '30 2 * * *', timezone: browserTimeZone() },
      verifySchedule: null,
      retention: { policy: SMART_POLICY },
      compression: 'default',
      packSizeMiB: 16,
      channelIds: [],
      enabled: true,
      overdueAfterMinutes: null,
      limits: null,
      passphrase: 'correct horse battery staple',
    });
    expect(navigate).toHaveBeenCalledWith('/');
  });

  it('keeps the form and says what went wrong when saving fails, without a second destination', async () => {
    const api = fakeApi();
    api.createJob.mockRejectedValueOnce(
      new HttpErrorResponse({
        status: 409,
        error: {
          error: {
            code: 'conflict',
            message: 'another job already keeps its repository here',
            field: 'repositoryPath',
          },
        },
      }),
    );
    const fixture = await render(api);
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', '/srv/backups');
    await press(fixture, 'Next');
    await tick(fixture, 'photos');
    for (let step = 0; step < 4; step++) await press(fixture, 'Next');
    await press(fixture, 'Create backup');
    expect(errors(fixture).join(' ')).toContain('Another job already keeps its repository here');
    expect(panel(fixture).textContent).toContain('Family photos');
    expect(stepIndex(fixture)).toBe(6);
    await press(fixture, 'Go to Destination');
    expect(stepIndex(fixture)).toBe(1);
    (fixture.debugElement.query(By.directive(MatStepper)).componentInstance as MatStepper).selectedIndex = 6;
    await settle(fixture);
    await press(fixture, 'Create backup');
    expect(api.createDestination).toHaveBeenCalledTimes(1);
    expect(api.createJob).toHaveBeenCalledTimes(2);
    expect(api.createJob).toHaveBeenLastCalledWith(expect.objectContaining({ destinationId: 'dest-new' }));
  });

  it('edits a job: the passphrase may stay empty and is then left out of the update', async () => {
    const api = fakeApi([SAVED]);
    const fixture = await render(api, 'job-1');
    vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    expect(api.job).toHaveBeenCalledWith('job-1');
    expect(field(fixture, 'Backup name').value).toBe('Photos');
    expect(panel(fixture).textContent).toContain('Leave empty to keep the current passphrase');
    await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(1);
    (fixture.debugElement.query(By.directive(MatStepper)).componentInstance as MatStepper).selectedIndex = 6;
    await settle(fixture);
    expect(panel(fixture).textContent).toContain('Every Sunday at 03:00');
    await press(fixture, 'Save changes');
    expect(api.updateJob).toHaveBeenCalledWith('job-1', {
      name: 'Photos',
      sources: ['/data/photos'],
      excludes: ['*.tmp'],
      destinationId: 'dest-1',
      repositoryPath: 'photos',
      schedule: { cron: '0 3 * * 0', timezone: browserTimeZone() },
      verifySchedule: { cron: '0 4 1 * *', timezone: browserTimeZone() },
      retention: { keepLast: 10 },
      compression: 'off',
      packSizeMiB: 32,
      channelIds: [],
      enabled: true,
      overdueAfterMinutes: null,
      limits: null,
    });
  });

  it('caps upload and download in KiB/s on the Options step, refusing 0 and fractions in words', async () => {
    const api = fakeApi();
    const fixture = await render(api);
    await fillGeneral(fixture);
    await type(fixture, 'Folder path', '/srv/backups');
    await press(fixture, 'Next');
    await tick(fixture, 'photos');
    for (let step = 0; step < 3; step++) await press(fixture, 'Next');
    expect(stepIndex(fixture)).toBe(5);
    expect(panel(fixture).textContent).toContain('Empty: no limit');
    await type(fixture, 'Upload limit', '0');
    await type(fixture, 'Download limit', '1.5');
    const refusal = 'Enter a whole number of KiB/s, 1 or more, or leave it empty for no limit';
    expect(errors(fixture)).toEqual([refusal, refusal]);
    await press(fixture, 'Next');
    expect(stepIndex(fixture), 'a bad limit keeps the step open').toBe(5);
    await type(fixture, 'Upload limit', '512');
    await type(fixture, 'Download limit', '');
    expect(errors(fixture)).toEqual([]);
    await press(fixture, 'Next');
    expect(panel(fixture).textContent).toContain('Upload: at most 512 KiB/s');
    expect(panel(fixture).textContent).toContain('Download: no limit');
    await press(fixture, 'Create backup');
    expect(api.createJob).toHaveBeenCalledWith(expect.objectContaining({ limits: { uploadKiBps: 512 } }));
  });
});
