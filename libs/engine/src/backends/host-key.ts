import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { knownHostsFor, knownHostsName, type KnownHost } from './known-hosts.js';

/** ssh2's default order; a host known under some key types gets those types first, as OpenSSH does. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/** `SHA256:…` as `ssh-keygen -lf` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The key type a wire-format public key starts with (`ssh-ed25519`, …). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  return key.toString('latin1', 4, 4 + Math.min(key.readUInt32BE(0), key.length - 4));
}

export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/**
 * Decides whether to trust a server's host key: a pinned fingerprint when given, else known_hosts.
 * Never trust on first use: a backup tool that silently accepts a new key hands the repository's
 * traffic (and password-authenticated logins) to whoever answers.
 */
export class HostKeyPolicy {
  private readonly pinned?: string;
  private readonly known: { file: string; entry: KnownHost }[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    pinned: string | undefined,
    knownHostsFiles: string[] = defaultKnownHostsFiles(),
  ) {
    if (pinned !== undefined && pinned !== '') {
      if (!/^SHA256:[A-Za-z0-9+/]{43}=?$/.test(pinned)) {
        throw new CairnError(
          'usage',
          `the SFTP host key must look like SHA256:… as "ssh-keygen -lf" prints it`,
        );
      }
      this.pinned = pinned.replace(/=$/, '');
      return;
    }
    for (const file of knownHostsFiles) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // a missing known_hosts file simply knows no host
      }
      for (const entry of knownHostsFor(text, host, port)) this.known.push({ file, entry });
    }
  }

  /** Host key algorithms to offer, known types first; undefined keeps ssh2's default. */
  algorithms(): string[] | undefined {
    const types = this.known.filter(({ entry }) => !entry.marker).map(({ entry }) => entry.keyType);
    if (types.length === 0) return undefined;
    const preferred = types.flatMap((type) =>
      type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type],
    );
    const first = HOST_KEY_ALGORITHMS.filter((algorithm) => preferred.includes(algorithm));
    return [...first, ...HOST_KEY_ALGORITHMS.filter((algorithm) => !first.includes(algorithm))];
  }

  /** Undefined when the key is trusted, else the refusal, with the key's fingerprint. */
  refusal(key: Buffer): CairnError | undefined {
    const print = fingerprint(key);
    const where = `${this.host}:${this.port}`;
    const type = describeType(keyTypeOf(key));
    const refuse = (reason: 'host-key-unknown' | 'host-key-changed' | 'host-key-revoked', message: string) =>
      new CairnError('backend', message, {
        detail: { reason, host: this.host, port: this.port, keyType: type, fingerprint: print },
      });
    if (this.pinned !== undefined) {
      if (print === this.pinned) return undefined;
      return refuse(
        'host-key-changed',
        `the ${type} host key of ${where} is ${print}, not the pinned ${this.pinned}: refusing to connect ` +
          `(if the server's key really changed, pin the new one with --sftp-host-key)`,
      );
    }
    const revoked = this.known.find(({ entry }) => entry.marker === 'revoked' && entry.key.equals(key));
    if (revoked)
      return refuse(
        'host-key-revoked',
        `the ${type} host key ${print} of ${where} is marked @revoked in ${revoked.file}`,
      );
    const plain = this.known.filter(({ entry }) => !entry.marker);
    if (plain.some(({ entry }) => entry.key.equals(key))) return undefined;
    if (plain.length > 0) {
      return refuse(
        'host-key-changed',
        `the host key of ${where} does not match ${plain[0]!.file}: it is now ${type} ${print}. Refusing to ` +
          `connect: someone may be intercepting the connection. If the key really changed, remove the old ` +
          `entry (ssh-keygen -R "${knownHostsName(this.host, this.port)}") or pin the new key with ` +
          `--sftp-host-key ${print}`,
      );
    }
    return refuse(
      'host-key-unknown',
      `${where} is not in known_hosts and no host key is pinned; its ${type} key is ${print}. ` +
        `Compare that with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then pin it with ` +
        `--sftp-host-key ${print} (or CAIRN_SFTP_HOST_KEY), or add the host to ~/.ssh/known_hosts`,
    );
  }
}

function describeType(type: string): string {
  if (type === 'ssh-ed25519') return 'ED25519';
  if (type.startsWith('ecdsa-')) return 'ECDSA';
  if (type === 'ssh-rsa') return 'RSA';
  return type;
}
