import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod } from 'ssh2';
import { CairnError } from '../errors.js';

export interface SftpLogin {
  methods: AnyAuthMethod[];
  /** What was offered, for the message when the server refuses all of it (never the secrets). */
  offered: string[];
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * The ways to log in, from the environment: CAIRN_SFTP_KEY (a key file, or the key itself, with
 * CAIRN_SFTP_KEY_PASSPHRASE), else the usual ~/.ssh keys without passphrase; ssh-agent;
 * CAIRN_SFTP_PASSWORD. Keys are parsed here so that a wrong passphrase is reported as such, not as
 * a refused login.
 */
export function sftpLogin(username: string, env: NodeJS.ProcessEnv): SftpLogin {
  const methods: AnyAuthMethod[] = [];
  const offered: string[] = [];
  const configured = env.CAIRN_SFTP_KEY;
  if (configured) {
    const inline = configured.includes('-----BEGIN');
    const text = inline ? configured : readKeyFile(configured);
    const key = ssh2.utils.parseKey(text, env.CAIRN_SFTP_KEY_PASSPHRASE);
    if (key instanceof Error) {
      const where = inline ? 'the key in CAIRN_SFTP_KEY' : `the key file ${configured} (CAIRN_SFTP_KEY)`;
      const wrongPassphrase = /passphrase|decrypt/i.test(key.message);
      const hint = wrongPassphrase ? ': wrong or missing CAIRN_SFTP_KEY_PASSPHRASE' : `: ${key.message}`;
      throw new CairnError('usage', `cannot use ${where}${hint}`, {
        detail: { reason: 'private-key-unusable', wrongPassphrase },
      });
    }
    methods.push({ type: 'publickey', username, key: text, ...passphrase(env) });
    offered.push(inline ? 'the key in CAIRN_SFTP_KEY' : `key ${configured}`);
  } else {
    for (const name of DEFAULT_KEYS) {
      const path = join(homedir(), '.ssh', name);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      if (ssh2.utils.parseKey(text) instanceof Error) continue; // encrypted: that is the agent's job
      methods.push({ type: 'publickey', username, key: text });
      offered.push(`key ${path}`);
    }
  }
  if (env.SSH_AUTH_SOCK) {
    methods.push({ type: 'agent', username, agent: env.SSH_AUTH_SOCK });
    offered.push('ssh-agent');
  }
  if (env.CAIRN_SFTP_PASSWORD) {
    methods.push({ type: 'password', username, password: env.CAIRN_SFTP_PASSWORD });
    offered.push('password (CAIRN_SFTP_PASSWORD)');
  }
  if (methods.length === 0) {
    throw new CairnError(
      'usage',
      'no SFTP credentials: set CAIRN_SFTP_KEY (a private key file) or CAIRN_SFTP_PASSWORD, or run ssh-agent',
    );
  }
  return { methods, offered };
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new CairnError('usage', `cannot read the SFTP key file ${path} (CAIRN_SFTP_KEY): ${code}`);
  }
}

function passphrase(env: NodeJS.ProcessEnv): { passphrase?: string } {
  return env.CAIRN_SFTP_KEY_PASSPHRASE ? { passphrase: env.CAIRN_SFTP_KEY_PASSPHRASE } : {};
}
