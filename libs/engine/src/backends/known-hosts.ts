import { createHmac } from 'node:crypto';

/** One line of an OpenSSH known_hosts file that names the host we connect to. */
export interface KnownHost {
  marker?: 'revoked' | 'cert-authority';
  keyType: string;
  key: Buffer;
}

/** The name known_hosts uses: plain for port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The entries of a known_hosts file that apply to host:port (hashed names included). */
export function knownHostsFor(text: string, host: string, port: number): KnownHost[] {
  const name = knownHostsName(host, port);
  const found: KnownHost[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift()!.slice(1) : undefined;
    const [patterns, keyType, key] = fields;
    if (!patterns || !keyType || !key || !matchesPatterns(patterns, name)) continue;
    if (marker !== undefined && marker !== 'revoked' && marker !== 'cert-authority') continue;
    found.push({ ...(marker ? { marker } : {}), keyType, key: Buffer.from(key, 'base64') });
  }
  return found;
}

/** OpenSSH's rules: comma-separated globs, `!` negates and wins, `|1|salt|hmac` is a hashed name. */
function matchesPatterns(patterns: string, name: string): boolean {
  let matched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('|1|')) {
      matched ||= matchesHashed(pattern, name);
    } else if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false;
    } else {
      matched ||= globMatches(pattern, name);
    }
  }
  return matched;
}

function matchesHashed(pattern: string, name: string): boolean {
  const [, , salt, hash] = pattern.split('|');
  if (!salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function globMatches(glob: string, name: string): boolean {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}
