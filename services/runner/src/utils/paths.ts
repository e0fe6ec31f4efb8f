import { isAbsolute, relative } from 'node:path';

/** True when `path` is `root` or below it (both absolute and normalized). */
export function isWithin(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest));
}

/** `..` is refused outright rather than resolved: a request that climbs is never a mistake worth guessing about. */
export function climbs(path: string): boolean {
  return path.split('/').includes('..');
}
