import { HttpErrorResponse } from '@angular/common/http';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { ApiService } from '../../core/api';
import type { Run, TreeEntry } from '../../core/api.types';
import { RestoreDialog, type RestoreRequest } from './restore-dialog';

const NOTES: TreeEntry = {
  name: 'notes.md',
  path: '/srv/documents/notes.md',
  type: 'file',
  size: 30,
  mtime: '2026-11-20T09:30:00.000Z',
  mode: 0o644,
};

const REQUEST: RestoreRequest = {
  jobId: 'job-1',
  snapshot: {
    id: 'cd'.repeat(32),
    jobId: 'job-1',
    time: '2026-11-23T10:00:00.000Z',
    host: 'nas',
    paths: ['/srv/documents'],
    tags: [],
    summary: null,
  },
  entries: [NOTES],
};

describe('RestoreDialog', () => {
  let fixture: ComponentFixture<RestoreDialog>;
  let element: HTMLElement;
  const restore = vi.fn<ApiService['restore']>();
  const runnerFolders = vi.fn(async () => ({ sourceRoots: ['/srv'], restoreRoot: '/restore' }));
  const close = vi.fn();

  async function submitWith(target: string): Promise<void> {
    const input = element.querySelector<HTMLInputElement>('input')!;
    input.value = target;
    input.dispatchEvent(new Event('input'));
    element.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await fixture.whenStable();
  }

  beforeEach(async () => {
    restore.mockReset();
    close.mockReset();
    TestBed.configureTestingModule({
      providers: [
        { provide: ApiService, useValue: { restore, runnerFolders } },
        { provide: MAT_DIALOG_DATA, useValue: REQUEST },
        { provide: MatDialogRef, useValue: { close } },
      ],
    });
    fixture = TestBed.createComponent(RestoreDialog);
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  it('shows where a restored file lands, target included', async () => {
    const input = element.querySelector<HTMLInputElement>('input')!;
    input.value = '/restored/today/';
    input.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(element.querySelector('.where')?.textContent).toContain(
      '/restore/restored/today/srv/documents/notes.md',
    );
  });

  it('names the restore folder in words when the runner does not say where it is', async () => {
    runnerFolders.mockRejectedValueOnce(new Error('no runner'));
    fixture = TestBed.createComponent(RestoreDialog);
    element = fixture.nativeElement;
    await fixture.whenStable();
    expect(element.querySelector('.where')?.textContent).toContain('‹restore folder›/srv/documents/notes.md');
    expect(element.querySelector('.where')?.textContent).toContain("the runner's CAIRN_RESTORE_ROOT");
  });

  it('refuses a target that climbs out of the restore folder, without asking the server', async () => {
    await submitWith('../elsewhere');
    expect(element.querySelector('mat-error')?.textContent).toContain('cannot contain “..”');
    expect(restore).not.toHaveBeenCalled();
  });

  it('starts the restore of the chosen paths and hands the run back', async () => {
    const run = { id: 'run-9' } as Run;
    restore.mockResolvedValue(run);
    await submitWith(' restored/today ');
    expect(restore).toHaveBeenCalledWith({
      jobId: 'job-1',
      snapshotId: REQUEST.snapshot.id,
      include: ['/srv/documents/notes.md'],
      target: 'restored/today',
    });
    expect(close).toHaveBeenCalledWith(run);
  });

  it('says in words why the server refused', async () => {
    restore.mockRejectedValue(
      new HttpErrorResponse({
        status: 400,
        error: { error: { code: 'invalid', message: 'restore target x is outside the restore folder' } },
      }),
    );
    await submitWith('x');
    expect(element.querySelector('[role="alert"]')?.textContent).toContain(
      'Restore target x is outside the restore folder',
    );
    expect(close).not.toHaveBeenCalled();
  });
});
