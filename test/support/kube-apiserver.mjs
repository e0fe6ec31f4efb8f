// A real Kubernetes API server for the tests (DESIGN §7): kube-apiserver built from its Go module
// (test/k8s/apiserver) over Debian's etcd, both on free loopback ports, with a generated service
// account key and a static admin token. No kubelet, scheduler or controller-manager runs: objects are
// stored and validated exactly as in a cluster, but no pod ever starts.
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goTool } from './go-tools.mjs';
import { freePort } from './services.mjs';

const START_TIMEOUT_MS = 120_000;

/**
 * Starts etcd and kube-apiserver; resolves to a client of the server, a kubeconfig file for it, the
 * CA file, etcd's URL and `stop()`. `binary` defaults to the cached build (built on first use);
 * `args` are more flags for kube-apiserver.
 */
export async function startKubeApiserver({ binary: apiserver = goTool('kube-apiserver'), args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-kube-'));
  const children = [];
  const stop = async () => {
    for (const child of children.reverse()) await endProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcdUrl = await startEtcd(dir, children);
    const token = randomBytes(24).toString('hex');
    const port = await freePort();
    writeFileSync(join(dir, 'tokens.csv'), `${token},cairn-test-admin,1,"system:masters"\n`);
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    const server = spawnLogged(
      apiserver,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${port}`,
        // Generates a self-signed serving certificate for 127.0.0.1 there, trusted by the client below.
        `--cert-dir=${join(dir, 'certs')}`,
        `--token-auth-file=${join(dir, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        `--service-account-issuer=https://127.0.0.1:${port}`,
        `--service-account-key-file=${join(dir, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
        '--service-cluster-ip-range=10.96.0.0/24',
        // The `kubernetes` Service's endpoints may not be a loopback address, and no pod uses them here.
        '--endpoint-reconciler-type=none',
        ...args,
      ],
      join(dir, 'kube-apiserver.log'),
    );
    children.push(server);
    const base = `https://127.0.0.1:${port}`;
    await waitUntil(server, 'kube-apiserver', join(dir, 'kube-apiserver.log'), async () => {
      const ca = readOptional(join(dir, 'certs', 'apiserver.crt'));
      if (!ca) return false;
      const { status } = await kubeRequest({ base, token, ca }, 'GET', '/readyz');
      return status === 200;
    });
    const client = { base, token, ca: readFileSync(join(dir, 'certs', 'apiserver.crt')) };
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText(client), { mode: 0o600 });
    return {
      ...client,
      caFile: join(dir, 'certs', 'apiserver.crt'),
      certDir: join(dir, 'certs'),
      etcdUrl,
      kubeconfig,
      request: (method, path, body) => kubeRequest(client, method, path, body),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One HTTPS call to the API: resolves to the status and the parsed JSON body. */
export function kubeRequest({ base, token, ca }, method, path, body) {
  const url = new URL(path, base);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload && { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = { text };
          }
          resolve({ status: res.statusCode, body: json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A kubeconfig for tools such as helm (JSON is YAML). */
function kubeconfigText({ base, token, ca }) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'test', cluster: { server: base, 'certificate-authority-data': ca.toString('base64') } },
    ],
    users: [{ name: 'admin', user: { token } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
    'current-context': 'test',
  });
}

async function startEtcd(dir, children) {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const etcd = spawnLogged(
    'etcd',
    [
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=default=http://127.0.0.1:${peer}`,
      '--log-level=warn',
    ],
    join(dir, 'etcd.log'),
    "install Debian's etcd-server",
  );
  children.push(etcd);
  await waitUntil(etcd, 'etcd', join(dir, 'etcd.log'), async () => {
    const response = await fetch(`${url}/health`).catch(() => undefined);
    return response?.ok === true;
  });
  return url;
}

function spawnLogged(command, args, logFile, hint = '') {
  writeFileSync(logFile, '');
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk) => writeFileSync(logFile, chunk, { flag: 'a' }));
  child.startError = new Promise((resolve) =>
    child.once('error', (error) =>
      resolve(`cannot start ${command}${hint && ` (${hint})`}: ${error.message}`),
    ),
  );
  return child;
}

/** Polls `ready` until it holds; fails with the process's last log lines if it exits first. */
async function waitUntil(child, name, logFile, ready) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let failure;
  child.startError.then((message) => (failure = message));
  child.once('exit', (code) => (failure ??= `${name} exited with ${code}`));
  while (!failure && Date.now() < deadline) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const log = readOptional(logFile)?.toString().trim().split('\n').slice(-15).join('\n');
  throw new Error(`${failure ?? `${name} was not ready within ${START_TIMEOUT_MS / 1000} s`}\n${log ?? ''}`);
}

function readOptional(file) {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function endProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}
