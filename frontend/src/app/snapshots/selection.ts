import type { TreeEntry } from '../core/api.types';
import { countOf, formatBytes, listInWords } from '../core/format';

/** Chosen files and folders by path; a chosen folder stands for everything below it. */
export type Selection = ReadonlyMap<string, TreeEntry>;

/**
 * How an entry's checkbox reads: chosen itself, covered by a chosen folder above it, holding
 * chosen entries below it, or none of these.
 */
export type Tick = 'selected' | 'inherited' | 'partial' | 'none';

export function isBelow(path: string, folder: string): boolean {
  return folder === '/' ? path !== '/' && path.startsWith('/') : path.startsWith(`${folder}/`);
}

/** The folders above `path`, nearest first ("/a/b/c" → "/a/b", "/a", "/"). */
function ancestors(path: string): string[] {
  const above: string[] = [];
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1))
    above.push(path.slice(0, cut));
  if (path !== '/') above.push('/');
  return above;
}

/**
 * How each path's checkbox reads under `selection`. Built once per selection (the folders holding
 * chosen entries, gathered up front), each look-up is a few map reads: a folder of 10 000 entries
 * with all of them chosen takes milliseconds, not chosen × shown comparisons.
 */
export function ticker(selection: Selection): (path: string) => Tick {
  const holding = new Set<string>();
  for (const path of selection.keys()) for (const folder of ancestors(path)) holding.add(folder);
  return (path) => {
    if (selection.has(path)) return 'selected';
    if (ancestors(path).some((folder) => selection.has(folder))) return 'inherited';
    return holding.has(path) ? 'partial' : 'none';
  };
}

export function tickOf(selection: Selection, path: string): Tick {
  return ticker(selection)(path);
}

/** Ticks or unticks one entry; ticking a folder takes in what was chosen below it. */
export function toggle(selection: Selection, entry: TreeEntry): Selection {
  const tick = tickOf(selection, entry.path);
  if (tick === 'inherited') return selection;
  if (tick === 'selected') return without(selection, [entry.path]);
  return add(selection, [entry]);
}

/** The header checkbox: every entry shown ticked, some, or none. */
export function tickOfAll(selection: Selection, entries: readonly TreeEntry[]): 'all' | 'some' | 'none' {
  const tickOfPath = ticker(selection);
  const ticks = entries.map((entry) => tickOfPath(entry.path));
  if (ticks.length > 0 && ticks.every((tick) => tick === 'selected' || tick === 'inherited')) return 'all';
  return ticks.some((tick) => tick !== 'none') ? 'some' : 'none';
}

/** Ticks every entry shown, or unticks them all when they all are. */
export function toggleAll(selection: Selection, entries: readonly TreeEntry[]): Selection {
  if (tickOfAll(selection, entries) === 'all') {
    return without(
      selection,
      entries.map((entry) => entry.path),
    );
  }
  const tickOfPath = ticker(selection);
  return add(
    selection,
    entries.filter((entry) => tickOfPath(entry.path) !== 'inherited'),
  );
}

export function without(selection: Selection, paths: readonly string[]): Selection {
  const next = new Map(selection);
  for (const path of paths) next.delete(path);
  return next;
}

/** Adds the entries, then drops what a chosen folder above already stands for. */
function add(selection: Selection, entries: readonly TreeEntry[]): Selection {
  const next = new Map(selection);
  for (const entry of entries) next.set(entry.path, entry);
  for (const path of [...next.keys()])
    if (ancestors(path).some((folder) => next.has(folder))) next.delete(path);
  return next;
}

/** What the selection holds in words: "3 folders and 2,417 files selected · 1.20 GiB". */
export function summarize(selection: Selection): string {
  let folders = 0;
  let files = 0;
  let bytes = 0;
  for (const entry of selection.values()) {
    if (entry.type === 'dir') folders++;
    else {
      files++;
      bytes += entry.size ?? 0;
    }
  }
  const parts = [folders ? countOf(folders, 'folder') : '', files ? countOf(files, 'file') : ''];
  const size = files ? ` · ${formatBytes(bytes)}${folders ? ' in files' : ''}` : '';
  return `${listInWords(parts.filter(Boolean))} selected${size}`;
}

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Folders first, then by name as people sort (2 before 10); only names containing the query. */
export function filterEntries(entries: readonly TreeEntry[], query: string): TreeEntry[] {
  const wanted = query.trim().toLocaleLowerCase();
  return entries
    .filter((entry) => entry.name.toLocaleLowerCase().includes(wanted))
    .sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || byName.compare(a.name, b.name));
}

/**
 * Where browsing starts: the folder holding what the job backs up, so its sources show at the top
 * level (a snapshot keeps full paths, and the folders above them are only a way down).
 */
export function startFolder(paths: readonly string[]): string {
  const parents = paths.map((path) => path.split('/').filter(Boolean).slice(0, -1));
  if (parents.length === 0) return '/';
  const common: string[] = [];
  for (let index = 0; parents.every((parent) => index < parent.length); index++) {
    const name = parents[0][index];
    if (!parents.every((parent) => parent[index] === name)) break;
    common.push(name);
  }
  return `/${common.join('/')}`;
}

/** The folders on the way to `path`, from the snapshot's root. */
export function breadcrumbs(path: string): { name: string; path: string }[] {
  const names = path.split('/').filter(Boolean);
  return [
    { name: 'Snapshot', path: '/' },
    ...names.map((name, index) => ({ name, path: `/${names.slice(0, index + 1).join('/')}` })),
  ];
}
