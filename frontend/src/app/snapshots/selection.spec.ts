import type { TreeEntry } from '../core/api.types';
import {
  breadcrumbs,
  filterEntries,
  startFolder,
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
