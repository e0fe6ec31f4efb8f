import picomatch from 'picomatch';

/**
 * Glob patterns as restic users write them: a pattern with a `/` is matched against the whole
 * absolute path, one without against the entry's name anywhere in the tree. `**` crosses folders.
 */
export function globMatcher(patterns: readonly string[]): (path: string, name: string) => boolean {
  const byPath = patterns.filter((p) => p.includes('/')).map((p) => p.replace(/\/+$/, ''));
  const byName = patterns.filter((p) => !p.includes('/'));
  const matchPath = byPath.length ? picomatch(byPath, { dot: true }) : undefined;
  const matchName = byName.length ? picomatch(byName, { dot: true }) : undefined;
  return (path, name) => (matchName?.(name) ?? false) || (matchPath?.(path) ?? false);
}
