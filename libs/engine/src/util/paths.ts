const SLASH = Buffer.from('/');

/** Paths are kept as bytes, so names that are not valid UTF-8 are backed up and restored exactly. */
export function childPath(parent: Buffer, name: Buffer): Buffer {
  return parent.length === 1 && parent[0] === 0x2f
    ? Buffer.concat([SLASH, name])
    : Buffer.concat([parent, SLASH, name]);
}

export function displayPath(path: Buffer): string {
  return path.toString('utf8');
}
