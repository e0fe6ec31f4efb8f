// An S3 server for tests (DESIGN §7): the one S3_ENDPOINT names (with AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and optionally S3_BUCKET), else s3rver started by this helper on a loopback
// port (in a child process: see s3rver-child.mjs). s3rver stores `aws-chunked` uploads verbatim, so
// every test must read bytes back and compare.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/** s3rver's built-in account. */
const S3RVER_KEYS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export async function startS3() {
  const endpoint = process.env.S3_ENDPOINT;
  if (endpoint) return external(endpoint);
  return startLocal();
}

function external(endpoint) {
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY } = process.env;
  if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY) {
    throw new Error('S3_ENDPOINT is set but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not');
  }
  const url = new URL(endpoint);
  return describeS3({
    secure: url.protocol === 'https:',
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    bucket: process.env.S3_BUCKET ?? 'cairn-test',
    env: { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY },
    stop: async () => {},
  });
}

async function startLocal() {
  const directory = await fs.mkdtemp(join(tmpdir(), 'cairn-s3rver-'));
  const bucket = 'cairn-test';
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, directory, bucket], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A test process that dies without stop() must not leave its server behind.
  const reap = () => child.kill('SIGTERM');
  process.once('exit', reap);
  exited.then(() => process.removeListener('exit', reap));
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    exited.then(() => resolve(undefined));
  });
  if (!line) {
    await fs.rm(directory, { recursive: true, force: true });
    throw new Error(
      `s3rver did not start (or set S3_ENDPOINT to an S3 server): ${stderr.trim() || 'no output'}`,
    );
  }
  return describeS3({
    secure: false,
    host: '127.0.0.1',
    port: JSON.parse(line).port,
    bucket,
    env: S3RVER_KEYS,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await fs.rm(directory, { recursive: true, force: true });
    },
  });
}

/** What every S3 test helper returns (minio-server.mjs too): where the server is, and its URLs. */
export function describeS3({ secure, host, port, bucket, env, stop }) {
  const scheme = secure ? 's3' : 's3+http';
  return {
    host,
    port,
    bucket,
    env,
    endpoint: `${secure ? 'https' : 'http'}://${host}:${port}`,
    /** A repository URL under a fresh prefix, through `port` when given (a fault proxy's). */
    url: (name = 'repo', via = port) =>
      `${scheme}://${host}:${via}/${bucket}/${name}-${randomBytes(4).toString('hex')}`,
    /** A URL in a bucket that does not exist yet. */
    missingBucketUrl: () => `${scheme}://${host}:${port}/missing-${randomBytes(4).toString('hex')}/repo`,
    stop,
  };
}
