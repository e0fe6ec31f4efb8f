// What the backup and restore pods run, run as processes (no kubelet runs in the test cluster): the
// command and environment of the pods the controller makes, in a mount namespace of their own
// (unshare) whose root is a tmpfs holding the machine's system folders and the pod's volumes at the
// pod's own paths — a folder standing in for the PVC, read-only when the pod mounts it so, an
// emptyDir for each of the pod's scratch folders — with no capability but the pod's and no new
// privileges (setpriv). The backup makes a real snapshot of the volume's path; the restore pod
// writes it into a new folder standing in for a new PVC, byte for byte.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import {
  backupPod,
  backupRun,
  restorePod,
} from '../../services/volume-controller/dist/src/backup/manifests.js';
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
const POD_OPTIONS = {
  image: 'cairn-server',
  imagePullPolicy: 'IfNotPresent',
  cluster: 'prod-eu',
  runAsUser: 0,
  resources: {},
};

let pods = 0;
const SYSTEM_FOLDERS = ['usr', 'etc', 'opt', 'tmp'];
/** The first component of each path, with the system's folders: what a pod's root must mount. */
const topFolders = (...paths) =>
  [...new Set([...SYSTEM_FOLDERS, ...paths.map((path) => path.split('/')[1])])].join(' ');
const quote = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Runs a pod's one container as a process in a root of its own (see the top of the file); `volume`
 * is the folder standing in for its PVC. Resolves to stdout; rejects with the exit code.
 */
function runAsPod(pod, volume, rootDir, env, { capabilities, terminationLog } = {}) {
  const [container] = pod.spec.containers;
  const claims = Object.fromEntries(pod.spec.volumes.map((v) => [v.name, v]));
  const kept = capabilities ?? container.securityContext.capabilities.add ?? [];
  const root = join(rootDir, `root-${++pods}`);
  mkdirSync(root);
  // The file the kubelet mounts at /dev/termination-log, whose text becomes the termination message.
  const messageFile = terminationLog ?? join(rootDir, `termination-log-${pods}`);
  writeFileSync(messageFile, '');
  const lines = [
    'set -e',
    `R=${quote(root)}`,
    'mount -t tmpfs tmpfs "$R"',
    // The machine's programs and libraries, and the top folders holding Node, the project and the
    // test's repository, wherever the checkout is (CI's is not under /work).
    `for d in ${topFolders(process.execPath, CAIRN, rootDir)}; do [ -d "/$d" ] && mkdir -p "$R/$d" && mount --rbind "/$d" "$R/$d"; done`,
    'for d in bin sbin lib lib64; do if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$R/$d"; elif [ -d "/$d" ]; then mkdir -p "$R/$d" && mount --rbind "/$d" "$R/$d"; fi; done',
    'mkdir -p "$R/proc" "$R/dev" && mount -t proc proc "$R/proc"',
    // A container's /dev: a tmpfs with the few devices a runtime gives, and the termination log.
    'mount -t tmpfs tmpfs "$R/dev"',
    'for f in null zero full random urandom tty; do touch "$R/dev/$f" && mount --bind "/dev/$f" "$R/dev/$f"; done',
    'ln -s /proc/self/fd "$R/dev/fd"',
    `touch "$R/dev/termination-log" && mount --bind ${quote(messageFile)} "$R/dev/termination-log"`,
  ];
  // Outer folders first, as the kubelet mounts them: /restore before the volume inside it.
  const mounts = [...container.volumeMounts].sort((a, b) => a.mountPath.length - b.mountPath.length);
  for (const mount of mounts) {
    const target = `"$R"${quote(mount.mountPath)}`;
    lines.push(`mkdir -p ${target}`);
    const claim = claims[mount.name].persistentVolumeClaim;
    if (!claim) {
      if (mount.mountPath !== '/tmp') lines.push(`mount -t tmpfs tmpfs ${target}`);
      continue;
    }
    lines.push(`mount --bind ${quote(volume)} ${target}`);
    if (mount.readOnly) lines.push(`mount -o remount,bind,ro ${target}`);
  }
  const bounding = ['-all', ...kept.map((name) => `+${name.toLowerCase()}`)].join(',');
  lines.push(`exec chroot "$R" setpriv --no-new-privs --bounding-set ${bounding} -- "$@"`);
  const [program, ...args] = container.command;
  assert.equal(program, 'cairn', 'the image has the CLI on its PATH as `cairn`');
  const podEnv = { ...env, ...Object.fromEntries(container.env.map(({ name, value }) => [name, value])) };
  return execFileAsync(
    'unshare',
    [
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      lines.join('\n'),
      'pod',
      process.execPath,
      CAIRN,
      ...args,
    ],
    { env: podEnv, maxBuffer: 64 * 1024 * 1024 },
  ).then(({ stdout }) => stdout);
}

const jsonLines = (stdout) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

let dir;
before(async () => {
  dir = await makeTempDir('volume-pods');
});
after(() => removeDir(dir));

test("the backup pod's command backs up the read-only volume at its path; the restore pod's writes it into a new volume, byte for byte", async () => {
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

  const source = {
    metadata: { name: 'data', namespace: 'apps', uid: '0b7c3a52-6f0e-4a59-9a77-5d1d3f0e8a11' },
    spec: { accessModes: ['ReadWriteOnce'] },
  };
  const backup = backupPod(
    backupRun(source, new Date('2026-12-03T03:00:00Z')),
    { job: 'nightly', secret: 'cairn-repository' },
    POD_OPTIONS,
    {},
  );
  // Without its one capability, root cannot read the database's files.
  const refused = await runAsPod(backup, volume, dir, env, { capabilities: [] }).catch((error) => error);
  assert.equal(refused.code, 3, 'a backup with warnings');
  assert.match(refused.stdout, /pgdata.*(permission denied|EACCES)/i);
  const terminationLog = join(dir, 'backup-termination-log');
  const summary = jsonLines(await runAsPod(backup, volume, dir, env, { terminationLog })).find(
    (line) => line.message_type === 'summary',
  );
  assert.deepEqual(summary.warnings, [], 'every file was readable');
  // The termination message the controller reads the run's figures from: the summary, warnings counted.
  const message = JSON.parse(readFileSync(terminationLog, 'utf8'));
  assert.equal(message.snapshot_id, summary.snapshot_id);
  assert.equal(message.warnings, 0);
  assert.equal(message.bytesAdded, summary.bytesAdded);
  assert.ok(message.filesNew > 0 && message.filesNew === summary.filesNew);
  assert.ok(Buffer.byteLength(JSON.stringify(message)) < 4096, 'within what Kubernetes keeps of it');
  const { stdout: listed } = await execFileAsync(process.execPath, [CAIRN, 'snapshots', '--json'], { env });
  const snapshot = JSON.parse(listed).find((each) => each.id === summary.snapshot_id);
  assert.equal(snapshot.host, 'prod-eu', 'the host is the cluster');
  assert.deepEqual(snapshot.paths, ['/volumes/apps/data'], "the volume's snapshot line: namespace and PVC");
  assert.deepEqual(snapshot.tags, ['nightly'], 'tagged with the job');

  const target = {
    metadata: { name: 'data-restored', namespace: 'apps', uid: '5f1e2d3c-4b5a-4697-8877-665544332211' },
    spec: { accessModes: ['ReadWriteOnce'] },
  };
  const restore = restorePod(
    target,
    { from: 'data', snapshot: summary.snapshot_id, secret: 'cairn-repository' },
    POD_OPTIONS,
    {},
  );
  const newVolume = join(dir, 'new-volume');
  mkdirSync(newVolume);
  const restored = jsonLines(await runAsPod(restore, newVolume, dir, env)).find(
    (line) => line.message_type === 'summary',
  );
  assert.ok(restored, 'the restore reported its summary');
  assert.deepEqual(await describeTree(newVolume), await describeTree(volume));
});
