import picomatch from 'picomatch';

/**
 * Exclude patterns as restic users write them: a pattern with a `/` is matched against the whole
 * absolute path, one without against the entry's name anywhere in the tree. `**` crosses folders.
 */
export function excludeMatcher(patterns: readonly string[]): (path: string, name: string) => boolean {
  const byPath = patterns.filter((p) => p.includes('/')).map((p) => p.replace(/\/+$/, ''));
  const byName = patterns.filter((p) => !p.includes('/'));
  const matchPath = byPath.length ? picomatch(byPath, { dot: true }) : undefined;
  const matchName = byName.length ? picomatch(byName, { dot: true }) : undefined;
  return (path, name) => (matchName?.(name) ?? false) || (matchPath?.(path) ?? false);
}

/** Reads an exclude file: one pattern per line; blank lines and `#` comments are ignored. */
export function parseExcludeFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
