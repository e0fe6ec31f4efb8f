import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ApiService } from '../../core/api';
import type { SnapshotRecord, TreeEntry } from '../../core/api.types';
import { LinkService } from '../../core/links';
import { SnapshotBrowser } from './snapshot-browser';

function entry(path: string, type: string, size?: number): TreeEntry {
  return { name: path.split('/').pop()!, path, type, size, mtime: '2026-11-20T09:30:00.000Z', mode: 0o644 };
}

const TREE: Record<string, TreeEntry[]> = {
  '/srv': [
    entry('/srv/report.pdf', 'file', 2048),
    entry('/srv/photos', 'dir'),
    entry('/srv/documents', 'dir'),
  ],
  '/srv/documents': [
    entry('/srv/documents/notes.md', 'file', 30),
    entry('/srv/documents/todo.txt', 'file', 12),
  ],
};

const SNAPSHOT: SnapshotRecord = {
  id: 'ab'.repeat(32),
  jobId: 'job-1',
  time: '2026-11-23T10:00:00.000Z',
  host: 'nas',
  paths: ['/srv/documents', '/srv/photos', '/srv/report.pdf'],
  tags: [],
  summary: null,
};

describe('SnapshotBrowser', () => {
  let fixture: ComponentFixture<SnapshotBrowser>;
  let element: HTMLElement;
  const snapshotTree = vi.fn(async (_snapshot: string, _job: string, path: string) => TREE[path]);
  const download = vi.fn(async (_snapshot: string, _job: string, _path: string) => undefined);

  const names = () =>
    [...element.querySelectorAll('.row:not(.header) .name')].map((node) => node.textContent?.trim());
  const checkbox = (label: string) =>
    element.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!;
  const settle = () => fixture.whenStable();
  async function click(target: HTMLElement): Promise<void> {
    target.click();
    await settle();
  }
  async function openFolder(name: string): Promise<void> {
    const button = [...element.querySelectorAll<HTMLButtonElement>('button.open, button.crumb')].find(
      (node) => node.textContent?.trim() === name,
    )!;
    await click(button);
  }

  beforeEach(async () => {
    snapshotTree.mockClear();
    download.mockClear();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: ApiService, useValue: { snapshotTree } },
        {
          provide: LinkService,
          useValue: { download },
        },
      ],
    });
    fixture = TestBed.createComponent(SnapshotBrowser);
    fixture.componentRef.setInput('snapshot', SNAPSHOT);
    fixture.componentRef.setInput('jobId', 'job-1');
    element = fixture.nativeElement;
    await settle();
  });

  it('opens the folder holding the sources, folders first', () => {
    expect(snapshotTree).toHaveBeenCalledWith(SNAPSHOT.id, 'job-1', '/srv');
    expect(names()).toEqual(['documents', 'photos', 'report.pdf']);
    expect(element.querySelector('[aria-current="location"]')?.textContent).toBe('srv');
  });

  it('filters the folder by name and says when nothing matches', async () => {
    const search = element.querySelector<HTMLInputElement>('input[type="search"]')!;
    expect(search.placeholder).toBe('Filter this folder by name');
    search.value = 'PHO';
    search.dispatchEvent(new Event('input'));
    await settle();
    expect(names()).toEqual(['photos']);
    search.value = 'zzz';
    search.dispatchEvent(new Event('input'));
    await settle();
    expect(element.querySelector('.empty')?.textContent).toContain(
      'Nothing in this folder has “zzz” in its name.',
    );
  });

  it('keeps the selection while moving between folders, and sums it up in words', async () => {
    await click(checkbox('Select report.pdf'));
    await openFolder('documents');
    expect(names()).toEqual(['notes.md', 'todo.txt']);
    await click(checkbox('Select notes.md'));
    await openFolder('srv');
    expect(element.querySelector('.count')?.textContent).toContain('2 files selected · 2.03 KiB');
    expect(element.querySelectorAll('mat-chip').length).toBe(0);
    expect(checkbox('Select documents').indeterminate).toBe(true);
    // Two items cannot go in one download: the button is off and says why.
    const download = [...element.querySelectorAll('button')].find((node) =>
      node.textContent?.includes('Download'),
    );
    expect(download?.disabled).toBe(true);
  });

  it('offers the one selected folder as a tar download, and the whole snapshot when nothing is selected', async () => {
    const button = () =>
      [...element.querySelectorAll<HTMLButtonElement>('.actions button')].find((node) =>
        node.textContent?.includes('Download'),
      )!;
    expect(button().textContent).toContain('Download everything (.tar)');
    await click(button());
    expect(download).toHaveBeenLastCalledWith(SNAPSHOT.id, 'job-1', '/');
    await click(checkbox('Select documents'));
    expect(button().textContent).toContain('Download folder (.tar)');
    await click(button());
    expect(download).toHaveBeenLastCalledWith(SNAPSHOT.id, 'job-1', '/srv/documents');
    await openFolder('documents');
    expect(checkbox('Select notes.md').checked).toBe(true);
    expect(checkbox('Select notes.md').disabled).toBe(true);
  });

  it('says so when a download cannot start', async () => {
    download.mockRejectedValueOnce(new Error('the server is away'));
    const button = [...element.querySelectorAll<HTMLButtonElement>('.actions button')].find((node) =>
      node.textContent?.includes('Download'),
    )!;
    await click(button);
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('The download could not start');
  });

  it('ticks everything shown at once, and Clear unticks it all', async () => {
    await click(checkbox('Select everything shown'));
    expect(element.querySelector('.count')?.textContent).toContain(
      '2 folders and 1 file selected · 2.00 KiB in files',
    );
    expect(checkbox('Select report.pdf').checked).toBe(true);
    const clear = [...element.querySelectorAll<HTMLButtonElement>('.count button')].find(
      (node) => node.textContent?.trim() === 'Clear',
    )!;
    await click(clear);
    expect(element.querySelector('.count')).toBeNull();
    expect(checkbox('Select report.pdf').checked).toBe(false);
  });
});
