// MinIO for tests (DESIGN §7): the S3 server NAS users run, built from its Go module (go-tools.mjs,
// cached) and started on a loopback port with a throwaway data folder and generated credentials.
// Returns what startS3() returns, so a test runs the same against s3rver and MinIO.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { goTool } from './go-tools.mjs';
import { describeS3 } from './s3-server.mjs';
import { freePort } from './services.mjs';

const BUCKET = 'cairn-test';

export async function startMinio() {
  const binary = goTool('minio');
  const directory = await fs.mkdtemp(join(tmpdir(), 'cairn-minio-'));
  // On a fresh single-folder MinIO a top-level folder is a bucket: made here, no request to sign.
  await fs.mkdir(join(directory, BUCKET));
  const env = {
    AWS_ACCESS_KEY_ID: `cairn${randomBytes(6).toString('hex')}`,
    AWS_SECRET_ACCESS_KEY: randomBytes(24).toString('base64url'),
  };
  const port = await freePort();
  const child = spawn(binary, ['server', '--quiet', '--address', `127.0.0.1:${port}`, directory], {
    env: {
      PATH: process.env.PATH,
      HOME: directory,
      MINIO_ROOT_USER: env.AWS_ACCESS_KEY_ID,
      MINIO_ROOT_PASSWORD: env.AWS_SECRET_ACCESS_KEY,
      // No web console (it would take a second port) and no update checks: nothing leaves loopback.
      MINIO_BROWSER: 'off',
      MINIO_UPDATE: 'off',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // A test process that dies without stop() must not leave its server behind.
  const reap = () => child.kill('SIGTERM');
  process.once('exit', reap);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    process.removeListener('exit', reap);
    await fs.rm(directory, { recursive: true, force: true });
  };
  let running = true;
  exited.then(() => (running = false));
  if (!(await ready(port, () => running))) {
    await stop();
    throw new Error(`MinIO did not start on port ${port}: ${stderr.trim() || 'no output'}`);
  }
  return describeS3({ secure: false, host: '127.0.0.1', port, bucket: BUCKET, env, stop });
}

/** Waits for MinIO's readiness probe to answer 200 (false if the process ends or a minute passes). */
async function ready(port, running) {
  for (const deadline = Date.now() + 60_000; running() && Date.now() < deadline; await sleep(100)) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/minio/health/ready`)).ok) return true;
    } catch {
      // not listening yet
    }
  }
  return false;
}
