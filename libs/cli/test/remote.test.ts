import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';
import { cliEnv, fsTree, runCli, scratchDir } from './cli.js';

type S3Support = typeof import('../../../test/support/s3-server.mjs');
type SftpSupport = typeof import('../../../test/support/sftp-server.mjs');
const support = (name: string) => fileURLToPath(new URL(`../../../../test/support/${name}`, import.meta.url));
const { startS3 } = (await import(support('s3-server.mjs'))) as S3Support;
const { startSftp } = (await import(support('sftp-server.mjs'))) as SftpSupport;

let s3: Awaited<ReturnType<S3Support['startS3']>>;
let sftp: Awaited<ReturnType<SftpSupport['startSftp']>>;
before(async () => {
  [s3, sftp] = await Promise.all([startS3(), startSftp()]);
});
after(() => Promise.all([s3?.stop(), sftp?.stop()]));

/** init → backup → snapshots → restore byte-identical → check --read-data, all through `cairn`. */
async function lifeCycle(
  t: TestContext,
  repo: string,
  env: NodeJS.ProcessEnv,
  flags: { init?: string[]; all?: string[] } = {},
) {
  const dir = await scratchDir(t, 'cli-remote');
  const source = join(dir, 'source');
  await fs.mkdir(source);
  await fsTree.buildSourceTree(source, { largeFiles: false });
  const run = (args: string[]) => runCli([...args, ...(flags.all ?? [])], { env });
  const init = await run(['init', '--repo', repo, ...(flags.init ?? [])]);
  assert.equal(init.code, 0, init.stderr);
  const backup = await run(['backup', '--repo', repo, '--pack-size', '1', '--connections', '3', source]);
  assert.equal(backup.code, 0, backup.stderr);
  const snapshots = await run(['snapshots', '--repo', repo, '--json']);
  assert.equal(snapshots.code, 0, snapshots.stderr);
  assert.equal((JSON.parse(snapshots.stdout) as unknown[]).length, 1);
  const target = join(dir, 'target');
  const restore = await run(['restore', '--repo', repo, 'latest', '--target', target]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.deepEqual(await fsTree.describeTree(join(target, source)), await fsTree.describeTree(source));
  const check = await run(['check', '--repo', repo, '--read-data']);
  assert.equal(check.code, 0, check.stderr);
}

describe('cairn on S3', () => {
  test('init refuses a missing bucket, --s3-create-bucket makes it, and the whole life cycle works', async (t) => {
    const repo = s3.missingBucketUrl();
    const refused = await runCli(['init', '--repo', repo], { env: cliEnv(s3.env) });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /bucket "missing-[0-9a-f]+" does not exist .*--s3-create-bucket/);
    await lifeCycle(t, repo, cliEnv(s3.env), { init: ['--s3-create-bucket'] });
  });

  test('wrong credentials: exit 1 and a message that names the variables, not their values', async () => {
    const env = cliEnv({ AWS_ACCESS_KEY_ID: 'NOBODY', AWS_SECRET_ACCESS_KEY: 'top-secret-value' });
    const result = await runCli(['snapshots', '--repo', s3.url()], { env });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refused access .*AWS_ACCESS_KEY_ID/);
    assert.doesNotMatch(result.stderr, /top-secret-value/);
  });

  test('a repository that is not there exits 10', async () => {
    const result = await runCli(['snapshots', '--repo', s3.url('nothing-here')], { env: cliEnv(s3.env) });
    assert.equal(result.code, 10, result.stderr);
  });

  test('backend-test writes, reads back and removes its files and reports throughput', async () => {
    const location = s3.url('backend-test');
    const result = await runCli(['backend-test', location, '--size', '6', '--files', '3'], {
      env: cliEnv(s3.env),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^write .*MiB\/s/m);
    assert.match(result.stdout, /^read .*MiB\/s/m);
    assert.match(result.stdout, /OK: every file came back identical/);
    const again = await runCli(['backend-test', location, '--size', '0.01', '--files', '1'], {
      env: cliEnv(s3.env),
    });
    assert.equal(again.code, 0, 'nothing was left behind that looks like a repository');
  });

  test('backend-test refuses a location that holds a repository', async () => {
    const repo = s3.url('backend-test-repo');
    assert.equal((await runCli(['init', '--repo', repo], { env: cliEnv(s3.env) })).code, 0);
    const result = await runCli(['backend-test', repo], { env: cliEnv(s3.env) });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /holds a repository/);
  });
});

describe('cairn on SFTP', () => {
  test('the whole life cycle with a pinned host key', async (t) => {
    await lifeCycle(t, sftp.url(), cliEnv({ CAIRN_SFTP_KEY: sftp.keyFile }), {
      all: ['--sftp-host-key', sftp.hostKey],
    });
  });

  test('an unknown host key is refused with its fingerprint; known_hosts in HOME makes it known', async (t) => {
    const home = await scratchDir(t, 'cli-home');
    const env = cliEnv({ HOME: home, CAIRN_SFTP_KEY: sftp.keyFile });
    const repo = sftp.url();
    const refused = await runCli(['init', '--repo', repo], { env });
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`--sftp-host-key ${sftp.hostKey}`), refused.stderr);
    await fs.mkdir(join(home, '.ssh'));
    await fs.writeFile(
      join(home, '.ssh', 'known_hosts'),
      `[${sftp.host}]:${sftp.port} ${sftp.hostKeyLine}\n`,
    );
    const init = await runCli(['init', '--repo', repo], { env });
    assert.equal(init.code, 0, init.stderr);
  });

  test('backend-test with the host key from CAIRN_SFTP_HOST_KEY', async () => {
    const result = await runCli(['backend-test', sftp.url('backend-test'), '--size', '4', '--files', '4'], {
      env: cliEnv(sftp.env),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /OK: every file came back identical/);
  });

  test('malformed and password-carrying URLs are usage errors that do not echo the password', async () => {
    const withPassword = await runCli(['snapshots', '--repo', 'sftp://me:pa55word@127.0.0.1/x']);
    assert.equal(withPassword.code, 1);
    assert.match(withPassword.stderr, /contains a password/);
    assert.doesNotMatch(withPassword.stderr, /pa55word/);
    const noBucket = await runCli(['snapshots', '--repo', 's3://127.0.0.1:9/']);
    assert.equal(noBucket.code, 1);
    assert.match(noBucket.stderr, /names no valid bucket/);
  });
});
