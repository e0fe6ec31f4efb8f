// An SFTP server for tests (DESIGN §7): the one SFTP_URL names (sftp://user@host:port/folder, with
// CAIRN_SFTP_KEY and CAIRN_SFTP_HOST_KEY), else Debian's OpenSSH sshd started on a loopback port with
// a throwaway host key and user key, logging in as the current user.
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './services.mjs';

const SSHD = '/usr/sbin/sshd';
const MISSING =
  'openssh-server is not installed (apt-get install openssh-server, as make test does as root), or set SFTP_URL';

export async function startSftp() {
  return process.env.SFTP_URL ? external(process.env.SFTP_URL) : startSshd();
}

function external(location) {
  const { CAIRN_SFTP_KEY, CAIRN_SFTP_HOST_KEY } = process.env;
  if (!CAIRN_SFTP_KEY || !CAIRN_SFTP_HOST_KEY) {
    throw new Error('SFTP_URL is set but CAIRN_SFTP_KEY / CAIRN_SFTP_HOST_KEY are not');
  }
  const url = new URL(location);
  return describe({
    host: url.hostname,
    port: Number(url.port || 22),
    user: decodeURIComponent(url.username) || userInfo().username,
    keyFile: CAIRN_SFTP_KEY,
    hostKey: CAIRN_SFTP_HOST_KEY,
    hostKeyLine: keyscan(url.hostname, Number(url.port || 22)),
    root: url.pathname.replace(/\/$/, ''),
    stop: async () => {},
  });
}

/** `SHA256:…` of a public key file, as ssh-keygen -lf prints it. */
export async function publicKeyFingerprint(pubFile) {
  const blob = Buffer.from((await fs.readFile(pubFile, 'utf8')).split(/\s+/)[1], 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** A fresh ed25519 key pair without passphrase; returns the private key's path. */
export function generateKey(path, comment = 'cairn-test') {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  return path;
}

async function startSshd() {
  if (!existsSync(SSHD)) throw new Error(MISSING);
  const dir = await fs.mkdtemp(join(tmpdir(), 'cairn-sshd-'));
  const hostKey = generateKey(join(dir, 'host_ed25519'), 'cairn-test-host');
  const keyFile = generateKey(join(dir, 'user_ed25519'));
  await fs.copyFile(`${keyFile}.pub`, join(dir, 'authorized_keys'));
  const root = join(dir, 'files');
  await fs.mkdir(root);
  // Run as root, sshd insists on its privilege separation folder, which the Debian service creates.
  if (process.getuid?.() === 0) await fs.mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const config = join(dir, 'sshd_config');
  await fs.writeFile(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'UsePAM no',
      // The temp folder is not owned the way StrictModes wants; the keys are throwaway anyway.
      'StrictModes no',
      'MaxStartups 100',
      'MaxSessions 100',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(SSHD, ['-D', '-e', '-f', config, '-o', `Port=${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // A test process that dies without stop() must not leave its server behind.
    const reap = () => child.kill('SIGTERM');
    process.once('exit', reap);
    exited.then(() => process.removeListener('exit', reap));
    if (await listening(port, exited)) {
      return describe({
        host: '127.0.0.1',
        port,
        user: userInfo().username,
        keyFile,
        hostKey: await publicKeyFingerprint(`${hostKey}.pub`),
        hostKeyLine: (await fs.readFile(`${hostKey}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' '),
        root,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
          await fs.rm(dir, { recursive: true, force: true });
        },
      });
    }
    child.kill('SIGKILL');
    await exited;
    lastError = stderr.trim();
  }
  await fs.rm(dir, { recursive: true, force: true });
  throw new Error(`sshd did not start: ${lastError || 'no output'}`);
}

/** "type base64" of a server's ed25519 host key, as ssh-keyscan reports it. */
function keyscan(host, port) {
  const out = execFileSync('ssh-keyscan', ['-t', 'ed25519', '-p', String(port), host], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l && !l.startsWith('#'));
  if (!line) throw new Error(`ssh-keyscan found no ed25519 host key at ${host}:${port}`);
  return line.split(/\s+/).slice(1, 3).join(' ');
}

/** True once the port answers with an SSH banner; false when sshd exits first or never answers. */
async function listening(port, exited) {
  let gone = false;
  exited.then(() => (gone = true));
  for (let i = 0; i < 100 && !gone; i++) {
    if (await banner(port)) return true;
    await sleep(50);
  }
  return false;
}

function banner(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('SSH-'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function describe({ host, port, user, keyFile, hostKey, hostKeyLine, root, stop }) {
  return {
    host,
    port,
    user,
    keyFile,
    hostKey,
    hostKeyLine,
    root,
    /** Environment that lets Cairn log in and trust the host. */
    env: { CAIRN_SFTP_KEY: keyFile, CAIRN_SFTP_HOST_KEY: hostKey },
    /** A repository URL in a fresh folder, through `port` when given (a fault proxy's). */
    url: (name = 'repo', via = port) =>
      `sftp://${user}@${host}:${via}${root}/${name}-${randomBytes(4).toString('hex')}`,
    stop,
  };
}
