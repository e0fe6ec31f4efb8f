import type { TreeEntry } from '../core/api.types';

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

export function tickOf(selection: Selection, path: string): Tick {
  if (selection.has(path)) return 'selected';
  const chosen = [...selection.keys()];
  if (chosen.some((other) => isBelow(path, other))) return 'inherited';
  if (chosen.some((other) => isBelow(other, path))) return 'partial';
  return 'none';
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
  const ticks = entries.map((entry) => tickOf(selection, entry.path));
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
  return add(
    selection,
    entries.filter((entry) => tickOf(selection, entry.path) !== 'inherited'),
  );
}

export function without(selection: Selection, paths: readonly string[]): Selection {
  const next = new Map(selection);
  for (const path of paths) next.delete(path);
  return next;
}

function add(selection: Selection, entries: readonly TreeEntry[]): Selection {
  const next = new Map(selection);
  for (const entry of entries) {
    for (const path of next.keys()) if (isBelow(path, entry.path)) next.delete(path);
    next.set(entry.path, entry);
  }
  return next;
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
