import type { TreeEntry } from '../core/api.types';
import {
  breadcrumbs,
  filterEntries,
  startFolder,
  summarize,
  tickOf,
  tickOfAll,
  toggle,
  toggleAll,
  type Selection,
} from './selection';

function entry(path: string, type = 'file'): TreeEntry {
  return { name: path.split('/').pop()!, path, type, mtime: '2026-11-23T10:00:00.000Z', mode: 0o644 };
}

const docs = entry('/home/ada/docs', 'dir');
const notes = entry('/home/ada/docs/notes.md');
const report = entry('/home/ada/docs/reports/q3.txt');
const photo = entry('/home/ada/photo.jpg');

describe('selection', () => {
  it('ticks and unticks a file', () => {
    const once = toggle(new Map(), photo);
    expect([...once.keys()]).toEqual(['/home/ada/photo.jpg']);
    expect(toggle(once, photo).size).toBe(0);
  });

  it('counts what is below a ticked folder as ticked, and will not untick it alone', () => {
    const selection = toggle(new Map(), docs);
    expect(tickOf(selection, notes.path)).toBe('inherited');
    expect(tickOf(selection, report.path)).toBe('inherited');
    expect(toggle(selection, notes)).toBe(selection);
  });

  it('marks a folder partly ticked when something inside it is, and takes that in when ticked', () => {
    let selection: Selection = toggle(toggle(new Map(), notes), photo);
    expect(tickOf(selection, docs.path)).toBe('partial');
    expect(tickOf(selection, '/home/ada/docsier')).toBe('none');
    selection = toggle(selection, docs);
    expect([...selection.keys()].sort()).toEqual(['/home/ada/docs', '/home/ada/photo.jpg']);
  });

  it('ticks everything shown, or unticks it all when all is ticked', () => {
    const shown = [docs, photo];
    const all = toggleAll(toggle(new Map(), notes), shown);
    expect([...all.keys()].sort()).toEqual(['/home/ada/docs', '/home/ada/photo.jpg']);
    expect(tickOfAll(all, shown)).toBe('all');
    expect(tickOfAll(toggle(new Map(), photo), shown)).toBe('some');
    expect(toggleAll(all, shown).size).toBe(0);
  });

  it('treats everything as below the root', () => {
    const selection = toggle(new Map(), entry('/', 'dir'));
    expect(tickOf(selection, '/home')).toBe('inherited');
  });
});

describe('summarize', () => {
  const file = (index: number, size: number): TreeEntry => ({ ...entry(`/big/note-${index}.txt`), size });

  it('counts folders and files and adds up the files, in words', () => {
    const files = Array.from({ length: 2417 }, (_, index) => file(index, 512 * 1024));
    let selection: Selection = toggleAll(new Map(), files);
    expect(summarize(selection)).toBe('2,417 files selected · 1.18 GiB');
    selection = toggleAll(selection, [docs, photo, entry('/home/ada/music', 'dir'), entry('/srv', 'dir')]);
    expect(summarize(selection)).toBe('3 folders and 2,418 files selected · 1.18 GiB in files');
    expect(summarize(toggle(new Map(), docs))).toBe('1 folder selected');
  });

  it('selects all of 10 000 entries and reads their ticks', () => {
    const files = Array.from({ length: 10_000 }, (_, index) => file(index, 1));
    const selection = toggleAll(new Map(), files);
    expect(tickOfAll(selection, files)).toBe('all');
    expect(summarize(selection)).toBe('10,000 files selected · 9.77 KiB');
  });
});

describe('filterEntries', () => {
  const entries = [
    entry('/a/b10.txt'),
    entry('/a/B2.txt'),
    entry('/a/zeta', 'dir'),
    entry('/a/alpha', 'dir'),
  ];

  it('puts folders first, then sorts names as people do', () => {
    expect(filterEntries(entries, '').map((item) => item.name)).toEqual([
      'alpha',
      'zeta',
      'B2.txt',
      'b10.txt',
    ]);
  });

  it('keeps only names containing the query, whatever the case', () => {
    expect(filterEntries(entries, ' b1 ').map((item) => item.name)).toEqual(['b10.txt']);
    expect(filterEntries(entries, 'TXT').map((item) => item.name)).toEqual(['B2.txt', 'b10.txt']);
    expect(filterEntries(entries, 'nothing')).toEqual([]);
  });
});

describe('startFolder and breadcrumbs', () => {
  it('starts where the sources sit side by side', () => {
    expect(startFolder(['/srv/data/documents', '/srv/data/photos'])).toBe('/srv/data');
    expect(startFolder(['/home/ada/docs'])).toBe('/home/ada');
    expect(startFolder(['/etc', '/home/ada'])).toBe('/');
    expect(startFolder([])).toBe('/');
  });

  it('lists the way down from the snapshot root', () => {
    expect(breadcrumbs('/srv/data')).toEqual([
      { name: 'Snapshot', path: '/' },
      { name: 'srv', path: '/srv' },
      { name: 'data', path: '/srv/data' },
    ]);
    expect(breadcrumbs('/')).toEqual([{ name: 'Snapshot', path: '/' }]);
  });
});
