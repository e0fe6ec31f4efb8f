// What a backup pod runs, run as a process (no kubelet runs in the test cluster): the command and
// environment of the pod the controller makes, on a folder standing in for the volume — mounted
// read-only at the pod's mount path under a scratch root, in a mount namespace of its own (unshare),
// with no capability but CAP_DAC_OVERRIDE and no new privileges (setpriv), as the pod's security
// context has it. The snapshot it makes restores byte for byte.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { backupPod, backupRun } from '../../services/volume-controller/dist/src/backup/manifests.js';
import {
  buildSourceTree,
  describeTree,
  makeTempDir,
  pseudoRandomBytes,
  removeDir,
} from '../support/fs-tree.mjs';

const execFileAsync = promisify(execFile);
const CAIRN = new URL('../../libs/cli/bin/cairn.js', import.meta.url).pathname;
const PASSWORD = 'volume-repository-password';

let dir;
before(async () => {
  dir = await makeTempDir('backup-pod');
});
after(() => removeDir(dir));

test("the backup pod's command, on a read-only volume, makes a snapshot that restores byte for byte", async () => {
  const volume = join(dir, 'volume');
  mkdirSync(volume);
  await buildSourceTree(volume, { largeFiles: false });
  // What a database leaves on its volume: readable by its own user only.
  const database = join(volume, 'pgdata');
  mkdirSync(database, { mode: 0o700 });
  writeFileSync(join(database, 'base.dat'), pseudoRandomBytes(256 * 1024, 'pgdata'), { mode: 0o600 });
  for (const path of [join(database, 'base.dat'), database]) chownSync(path, 999, 999);
  const repository = join(dir, 'repository');
  const env = { PATH: process.env.PATH, CAIRN_REPOSITORY: repository, CAIRN_PASSWORD: PASSWORD };
  await execFileAsync(process.execPath, [CAIRN, 'init'], { env });

  const claim = {
    metadata: { name: 'data', namespace: 'apps', uid: '0b7c3a52-6f0e-4a59-9a77-5d1d3f0e8a11' },
    spec: { accessModes: ['ReadWriteOnce'] },
  };
  const pod = backupPod(
    backupRun(claim, new Date('2026-12-03T03:00:00Z')),
    { job: 'nightly', secret: 'cairn-repository' },
    {
      image: 'cairn-server',
      imagePullPolicy: 'IfNotPresent',
      cluster: 'prod-eu',
      runAsUser: 0,
      resources: {},
    },
    {},
  );
  const [container] = pod.spec.containers;
  const { mountPath } = container.volumeMounts.find((mount) => mount.name === 'volume');
  const capabilities = container.securityContext.capabilities.add.map((name) => `+${name.toLowerCase()}`);
  assert.deepEqual(capabilities, ['+dac_override']);
  // The pod's mount path, under a scratch root: the machine's / is not the test's to change.
  const mounted = join(dir, 'root', mountPath);
  mkdirSync(mounted, { recursive: true });
  const [program, ...args] = container.command;
  assert.equal(program, 'cairn', 'the image has the CLI on its PATH as `cairn`');
  const command = [process.execPath, CAIRN, ...args.map((arg) => (arg === mountPath ? mounted : arg))];
  const podEnv = { ...env, ...Object.fromEntries(container.env.map(({ name, value }) => [name, value])) };
  podEnv.HOME = join(dir, 'home');
  mkdirSync(podEnv.HOME);
  const script = [
    `mount --bind "$1" "$2"`,
    `mount -o remount,bind,ro "$2"`,
    'shift 2',
    `exec setpriv --no-new-privs --bounding-set -all,${capabilities.join(',')} -- "$@"`,
  ].join(' && ');
  const runPod = (script) =>
    execFileAsync(
      'unshare',
      ['--mount', '--propagation', 'private', 'sh', '-c', script, 'backup-pod', volume, mounted, ...command],
      { env: podEnv, maxBuffer: 64 * 1024 * 1024 },
    );
  // Without the capability, root cannot read the database's files: the one capability is needed.
  const withoutCapability = await runPod(script.replace(`,${capabilities.join(',')}`, '')).catch(
    (error) => error,
  );
  assert.equal(withoutCapability.code, 3, 'a backup with warnings');
  assert.match(withoutCapability.stdout, /pgdata.*permission denied|EACCES/i);
  const { stdout } = await runPod(script);
  const summary = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .find((line) => line.message_type === 'summary');
  assert.ok(summary.snapshot_id, stdout);
  assert.deepEqual(summary.warnings, [], 'every file was readable');

  const { stdout: listed } = await execFileAsync(process.execPath, [CAIRN, 'snapshots', '--json'], { env });
  const snapshot = JSON.parse(listed).find((each) => each.id === summary.snapshot_id);
  assert.equal(snapshot.host, 'prod-eu', 'the host is the cluster');
  assert.deepEqual(snapshot.paths, [mounted], "the path is the volume's mount path");
  assert.deepEqual(snapshot.tags, ['nightly'], 'tagged with the job');

  const target = join(dir, 'restore');
  await execFileAsync(process.execPath, [CAIRN, 'restore', summary.snapshot_id, '--target', target], { env });
  assert.deepEqual(await describeTree(join(target, mounted)), await describeTree(volume));
});
