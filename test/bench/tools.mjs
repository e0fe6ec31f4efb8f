// The tools `make bench` compares: Cairn; restic 0.19 and kopia 0.23, built from their Go modules
// (test/support/go-tools.mjs), as the current anchors; Debian's restic 0.14 and borg beside them.
// Each definition gives the commands for every step from the tool's own folders `t` (t.repo,
// t.target, t.state) and the data set's folder `t.data`. Each tool keeps its state (cache, keys,
// config) under .bench, so nothing leaks into or from the user's home.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { goTool, toolBuilt, GO_TOOLS } from '../support/go-tools.mjs';
import { ROOT, fail } from './process.mjs';

const CAIRN = [process.execPath, join(ROOT, 'libs/cli/bin/cairn.js')];
const PASSWORD = 'bench-password-not-a-secret';

/** The anchor the budgets are measured against. */
export const REFERENCE = 'restic';

function restic(bin) {
  return {
    version: [bin, 'version'],
    env: (t) => ({ RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: t.state }),
    init: (t) => [[bin, '-r', t.repo, 'init']],
    backup: (t) => ({ argv: [bin, '-r', t.repo, 'backup', t.data] }),
    restore: (t) => ({ argv: [bin, '-r', t.repo, 'restore', 'latest', '--target', t.target] }),
    restored: (t) => join(t.target, t.data),
    check: (t) => ({ argv: [bin, '-r', t.repo, 'check', '--read-data'] }),
    stats: (t) => [bin, '-r', t.repo, 'stats', '--mode', 'raw-data', '--json'],
    backupPath: (t, path) => ({ argv: [bin, '-r', t.repo, 'backup', path] }),
    forgetPrune: (t) => ({ argv: [bin, '-r', t.repo, 'forget', '--keep-last', '3', '--prune'] }),
  };
}

function kopia(bin) {
  return {
    version: [bin, '--version'],
    env: (t) => ({
      KOPIA_PASSWORD: PASSWORD,
      KOPIA_CONFIG_PATH: join(t.state, 'repository.config'),
      KOPIA_CACHE_DIRECTORY: join(t.state, 'cache'),
      KOPIA_LOG_DIR: join(t.state, 'logs'),
      KOPIA_CHECK_FOR_UPDATES: 'false',
    }),
    init: (t) => [[bin, 'repository', 'create', 'filesystem', '--path', t.repo]],
    // kopia stores data uncompressed unless a policy says otherwise; the others all use zstd.
    setup: () => [[bin, 'policy', 'set', '--global', '--compression', 'zstd']],
    backup: (t) => ({ argv: [bin, 'snapshot', 'create', t.data] }),
    restore: (t) => ({ argv: [bin, 'snapshot', 'restore', t.data, t.target] }),
    restored: (t) => t.target,
    check: () => ({ argv: [bin, 'snapshot', 'verify', '--verify-files-percent', '100'] }),
  };
}

const DEFINITIONS = {
  cairn: {
    make: () => ({
      version: [...CAIRN, '--version'],
      env: () => ({ CAIRN_PASSWORD: PASSWORD }),
      init: (t) => [[...CAIRN, 'init', '--repo', t.repo]],
      backup: (t) => ({ argv: [...CAIRN, 'backup', '--repo', t.repo, t.data] }),
      restore: (t) => ({ argv: [...CAIRN, 'restore', '--repo', t.repo, 'latest', '--target', t.target] }),
      restored: (t) => join(t.target, t.data),
      check: (t) => ({ argv: [...CAIRN, 'check', '--repo', t.repo, '--read-data'] }),
      stats: (t) => [...CAIRN, 'stats', '--repo', t.repo, '--json'],
      backupPath: (t, path) => ({ argv: [...CAIRN, 'backup', '--repo', t.repo, path] }),
      forgetPrune: (t) => ({
        argv: [...CAIRN, 'forget', '--repo', t.repo, '--keep-last', '3', '--prune'],
      }),
    }),
  },
  restic: { go: 'restic', make: () => restic(goTool('restic')) },
  'restic-0.14': { apt: 'restic', make: () => restic('/usr/bin/restic') },
  kopia: { go: 'kopia', make: () => kopia(goTool('kopia')) },
  borg: {
    apt: 'borgbackup',
    make: () => ({
      version: ['borg', '--version'],
      env: (t) => ({ BORG_PASSPHRASE: PASSWORD, BORG_BASE_DIR: t.state }),
      // repokey-blake2 is the fast choice where it exists; older borgs only know repokey.
      init: (t) => [
        ['borg', 'init', '--encryption=repokey-blake2', t.repo],
        ['borg', 'init', '--encryption=repokey', t.repo],
      ],
      // One archive name per backup: the first is a1, the unchanged re-backup a2, and so on.
      backup: (t) => ({
        argv: ['borg', 'create', '--compression', 'zstd,3', `${t.repo}::a${++t.backups}`, t.data],
      }),
      // borg stores the data's path without its leading slash and extracts relative to cwd, so the
      // files land at target + data exactly like restic's and cairn's.
      restore: (t) => ({ argv: ['borg', 'extract', `${t.repo}::a${t.backups}`], cwd: t.target }),
      restored: (t) => join(t.target, t.data),
      check: (t) => ({ argv: ['borg', 'check', '--verify-data', t.repo] }),
      stats: (t) => ['borg', 'info', '--json', t.repo],
    }),
  },
};

export const TOOL_NAMES = Object.keys(DEFINITIONS);

function hasCommand(argv) {
  const res = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  return !res.error && res.status === 0;
}

/**
 * The definitions of `names`, after installing what is missing: Debian's packages with apt-get, the
 * Go tools built into the tools cache (minutes on the first run of a machine).
 */
export function prepareTools(names, extraPackages = []) {
  const unknown = names.filter((n) => !DEFINITIONS[n]);
  if (unknown.length) fail(`unknown tool(s) in BENCH_TOOLS: ${unknown.join(', ')} (known: ${TOOL_NAMES})`);
  const fromDebian = names.filter((n) => DEFINITIONS[n].apt && !hasCommand(DEFINITIONS[n].make().version));
  const needed = [
    ...fromDebian.map((n) => DEFINITIONS[n].apt),
    ...extraPackages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0),
  ];
  if (!hasCommand(['/usr/bin/time', '-f', '%e', 'true'])) needed.push('time');
  if (needed.length) aptInstall(needed);
  return Object.fromEntries(
    names.map((name) => {
      const { go, make } = DEFINITIONS[name];
      if (go && !toolBuilt(go)) console.log(`building ${go} ${GO_TOOLS[go].version} from its Go module …`);
      return [name, make()];
    }),
  );
}

function aptInstall(packages) {
  console.log(`installing ${packages.join(' ')} …`);
  const argv = process.getuid() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  const apt = (...args) =>
    spawnSync(argv[0], [...argv.slice(1), ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // Update only when needed: a stale package list is the usual reason an install fails.
  if (!apt('install', '-y', ...packages) && !(apt('update') && apt('install', '-y', ...packages))) {
    fail(`could not install ${packages.join(' ')}`);
  }
}

/** The tool's version as it reports it ("0.19.1"), or "unknown". */
export function toolVersion(def) {
  const res = spawnSync(def.version[0], def.version.slice(1), { encoding: 'utf8' });
  if (res.status !== 0) return 'unknown';
  return res.stdout
    .trim()
    .split('\n')[0]
    .replace(/^(restic|borg|cairn)\s+|^v/, '')
    .split(' ')[0];
}
