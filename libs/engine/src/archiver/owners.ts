import { readFileSync } from 'node:fs';

/** uid/gid → name from /etc/passwd and /etc/group, read once (Node has no getpwuid). */
export class OwnerNames {
  private users?: Map<number, string>;
  private groups?: Map<number, string>;

  user(uid: number): string | undefined {
    return (this.users ??= readIdFile('/etc/passwd')).get(uid);
  }

  group(gid: number): string | undefined {
    return (this.groups ??= readIdFile('/etc/group')).get(gid);
  }
}

function readIdFile(path: string): Map<number, string> {
  const names = new Map<number, string>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name && id && !names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}
