// Duplicati's filters as Cairn excludes. Duplicati matches a rule against the whole path (folders end
// in "/"), its `*` crosses folders and the first rule that matches wins; Cairn's excludes are globs
// (a pattern without "/" matches a name anywhere, one with "/" the absolute path, `**` crosses folders).

/** One rule of a Duplicati job: `Include` false is an exclude; `[…]` is a regular expression. */
export interface DuplicatiFilter {
  include: boolean;
  expression: string;
}

export interface FilterMapping {
  excludes: string[];
  /** Sentences about each rule Cairn cannot follow. */
  dropped: string[];
}

/** Reads `Backup.Filters`: objects `{ Order, Include, Expression }` or strings `+pattern` / `-pattern`. */
export function readFilters(value: unknown): DuplicatiFilter[] {
  if (!Array.isArray(value)) return [];
  const rules = value.flatMap((rule, index): (DuplicatiFilter & { order: number })[] => {
    if (typeof rule === 'string') {
      const sign = rule[0];
      if (sign !== '+' && sign !== '-') return [];
      return [{ include: sign === '+', expression: rule.slice(1), order: index }];
    }
    if (typeof rule !== 'object' || rule === null) return [];
    const { Include, Expression, Order } = rule as Record<string, unknown>;
    if (typeof Expression !== 'string' || !Expression) return [];
    return [
      { include: Include === true, expression: Expression, order: typeof Order === 'number' ? Order : index },
    ];
  });
  return rules.sort((a, b) => a.order - b.order).map(({ include, expression }) => ({ include, expression }));
}

export function mapFilters(filters: readonly DuplicatiFilter[]): FilterMapping {
  const excludes: string[] = [];
  const dropped: string[] = [];
  const firstExclude = filters.findIndex((filter) => !filter.include);
  filters.forEach((filter, index) => {
    if (filter.include) {
      dropped.push(
        `the include filter “${filter.expression}”: Cairn backs up everything in the sources except the ` +
          'excludes, so add that folder as a source instead' +
          (firstExclude > index ? '; the excludes after it may now exclude files it kept.' : '.'),
      );
      return;
    }
    const glob = excludeGlob(filter.expression);
    if (glob === null)
      dropped.push(`the exclude filter “${filter.expression}”: ${whyNot(filter.expression)}`);
    else if (!excludes.includes(glob)) excludes.push(glob);
  });
  return { excludes, dropped };
}

/** The Cairn exclude that does what this Duplicati exclude does, or null when none does. */
export function excludeGlob(expression: string): string | null {
  if (expression.startsWith('{')) return null;
  if (expression.startsWith('[') && expression.endsWith(']')) {
    const glob = regexGlob(expression.slice(1, -1));
    return glob === null ? null : duplicatiGlob(glob);
  }
  return duplicatiGlob(expression);
}

function whyNot(expression: string): string {
  if (expression.startsWith('{'))
    return 'Duplicati’s built-in filter groups have no Cairn counterpart; add the folders they name as excludes.';
  if (expression.startsWith('['))
    return 'this regular expression has no glob that matches the same paths; write it as an exclude pattern.';
  return 'Duplicati matches it against the whole path, and no Cairn pattern matches the same paths.';
}

/** A Duplicati glob (`*` crosses folders, a folder ends in "/") as a Cairn glob, or null. */
function duplicatiGlob(expression: string): string | null {
  // A folder rule and a rule on its contents exclude the same: Cairn does not enter an excluded folder.
  const path = expression.replace(/\/+$/, '').replace(/\/\*$/, '');
  if (!path || path.includes('\\')) return null;
  const name = /^\*\/([^/]+)$/.exec(path)?.[1];
  if (name) return name; // `*/node_modules/`: that name anywhere
  if (/^\*[^/]+$/.test(path)) return path; // `*.tmp`: names ending so
  const crossing = (part: string) => (part === '*' ? '**' : part);
  if (path.startsWith('/')) return path.split('/').map(crossing).join('/');
  if (path.startsWith('*/')) return `**/${path.slice(2).split('/').map(crossing).join('/')}`;
  return null;
}

/**
 * The glob of a regular expression made only of literal characters, `.*`, `.` and `\.`, anchored or
 * not (Duplicati finds an unanchored one anywhere in the path); null for anything richer.
 */
function regexGlob(regex: string): string | null {
  let body = regex;
  const anchoredStart = body.startsWith('^');
  const anchoredEnd = body.endsWith('$') && !body.endsWith('\\$');
  if (anchoredStart) body = body.slice(1);
  if (anchoredEnd) body = body.slice(0, -1);
  let glob = '';
  for (let index = 0; index < body.length; index += 1) {
    const character = body[index]!;
    if (character === '\\') {
      const escaped = body[index + 1];
      if (escaped === undefined || !/[.\\/\-_ ]/.test(escaped)) return null;
      glob += escaped;
      index += 1;
    } else if (character === '.' && body[index + 1] === '*') {
      glob += '*';
      index += 1;
    } else if (character === '.') glob += '?';
    else if (/[\w/ -]/.test(character)) glob += character;
    else return null;
  }
  if (!anchoredStart && !glob.startsWith('*')) glob = `*${glob}`;
  if (!anchoredEnd && !glob.endsWith('*')) glob = `${glob}*`;
  return glob.replace(/\*+/g, '*');
}
