// `make bench`: Cairn, restic and borg side by side on the same data in one run (DESIGN.md §8), then
// Cairn on remote destinations (remote.mjs).
// Env: BENCH_SIZE_MIB (default 1024), BENCH_TOOLS (default "cairn,restic,borg"),
// BENCH_REMOTES (default "sftp,s3"; empty for none), BENCH_INDEX_BLOBS (default 10 000 000; 0 for no
// index benchmark).
// The exit code says whether every tool worked and restored exactly; budgets are only reported.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { ensureDataset } from './dataset.mjs';
import { benchForgetPrune } from './lifecycle.mjs';
import { BENCH, fail, initRepo, measure, repoBytes, ROOT } from './process.mjs';
import { remoteTools, REMOTE_STEP_IDS, startRemotes, stopRemotes } from './remote.mjs';
import { renderIndex, renderLifecycle, renderMarkdown, renderRemote } from './report.mjs';

const DATA = join(BENCH, 'data');
const CAIRN = [process.execPath, join(ROOT, 'libs/cli/bin/cairn.js')];
const PASSWORD = 'bench-password-not-a-secret';
const SIZE_MIB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const TOOL_NAMES = (process.env.BENCH_TOOLS ?? 'cairn,restic,borg').split(',').map((s) => s.trim());
const REMOTE_NAMES = (process.env.BENCH_REMOTES ?? 'sftp,s3')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const BUDGETS = { time: 1.0, size: 1.05, padding: 0.02, indexBytesPerBlob: 100 };

// Per tool: commands for each step, given the tool's own folders `t`. Everything else is shared.
// Each tool gets its state (cache, keys) under .bench so nothing leaks into or from the user's home.
const TOOLS = {
  cairn: {
    version: [...CAIRN, '--version'],
    env: () => ({ CAIRN_PASSWORD: PASSWORD }),
    init: (t) => [[...CAIRN, 'init', '--repo', t.repo]],
    backup1: (t) => ({ argv: [...CAIRN, 'backup', '--repo', t.repo, DATA] }),
    backup2: (t) => ({ argv: [...CAIRN, 'backup', '--repo', t.repo, DATA] }),
    restore: (t) => ({ argv: [...CAIRN, 'restore', '--repo', t.repo, 'latest', '--target', t.target] }),
    check: (t) => ({ argv: [...CAIRN, 'check', '--repo', t.repo, '--read-data'] }),
    stats: (t) => [...CAIRN, 'stats', '--repo', t.repo, '--json'],
    backupPath: (t, path) => ({ argv: [...CAIRN, 'backup', '--repo', t.repo, path] }),
    forgetPrune: (t) => ({ argv: [...CAIRN, 'forget', '--repo', t.repo, '--keep-last', '3', '--prune'] }),
  },
  restic: {
    apt: 'restic',
    version: ['restic', 'version'],
    env: (t) => ({ RESTIC_PASSWORD: PASSWORD, RESTIC_CACHE_DIR: t.state }),
    init: (t) => [['restic', '-r', t.repo, 'init']],
    backup1: (t) => ({ argv: ['restic', '-r', t.repo, 'backup', DATA] }),
    backup2: (t) => ({ argv: ['restic', '-r', t.repo, 'backup', DATA] }),
    restore: (t) => ({ argv: ['restic', '-r', t.repo, 'restore', 'latest', '--target', t.target] }),
    check: (t) => ({ argv: ['restic', '-r', t.repo, 'check', '--read-data'] }),
    stats: (t) => ['restic', '-r', t.repo, 'stats', '--mode', 'raw-data', '--json'],
    backupPath: (t, path) => ({ argv: ['restic', '-r', t.repo, 'backup', path] }),
    forgetPrune: (t) => ({ argv: ['restic', '-r', t.repo, 'forget', '--keep-last', '3', '--prune'] }),
  },
  borg: {
    apt: 'borgbackup',
    version: ['borg', '--version'],
    env: (t) => ({ BORG_PASSPHRASE: PASSWORD, BORG_BASE_DIR: t.state }),
    // repokey-blake2 is the fast choice where it exists; older borgs only know repokey.
    init: (t) => [
      ['borg', 'init', '--encryption=repokey-blake2', t.repo],
      ['borg', 'init', '--encryption=repokey', t.repo],
    ],
    backup1: (t) => ({ argv: ['borg', 'create', '--compression', 'zstd,3', `${t.repo}::a1`, DATA] }),
    backup2: (t) => ({ argv: ['borg', 'create', '--compression', 'zstd,3', `${t.repo}::a2`, DATA] }),
    // borg stores DATA without its leading slash and extracts relative to cwd, so the files land at
    // target + DATA exactly like restic's and cairn's.
    restore: (t) => ({ argv: ['borg', 'extract', `${t.repo}::a2`], cwd: t.target }),
    check: (t) => ({ argv: ['borg', 'check', '--verify-data', t.repo] }),
    stats: (t) => ['borg', 'info', '--json', t.repo],
  },
};

const STEPS = [
  { id: 'backup1', label: 'first backup', run: (tool) => measure(tool, 'backup1') },
  { id: 'backup2', label: 'unchanged re-backup', run: (tool) => measure(tool, 'backup2') },
  { id: 'restore', label: 'restore', run: restoreAndVerify },
  { id: 'check', label: 'check --read-data', run: (tool) => measure(tool, 'check') },
];

// The comparison is outside the timed part: correctness is a gate, not a metric.
function restoreAndVerify(tool) {
  mkdirSync(tool.target, { recursive: true });
  const timing = measure(tool, 'restore');
  const diff = spawnSync('diff', ['-rq', '--no-dereference', DATA, join(tool.target, DATA)], {
    encoding: 'utf8',
  });
  if (diff.status !== 0) {
    fail(
      `restore differs from the source: ${(diff.stdout + diff.stderr).split('\n').slice(0, 15).join('\n')}`,
    );
  }
  rmSync(tool.target, { recursive: true, force: true });
  return timing;
}

// Extra detail for results.json only; a tool without a working stats command is not a failure.
function stats(tool) {
  const [cmd, ...args] = tool.def.stats(tool);
  const res = spawnSync(cmd, args, {
    env: { ...process.env, ...tool.def.env(tool) },
    encoding: 'utf8',
  });
  try {
    return JSON.parse(res.stdout);
  } catch {
    return null;
  }
}

function version(tool) {
  const res = spawnSync(tool.def.version[0], tool.def.version.slice(1), { encoding: 'utf8' });
  return res.status === 0
    ? res.stdout
        .trim()
        .split('\n')[0]
        .replace(/^(restic|borg|cairn)\s+/, '')
        .split(' ')[0]
    : 'unknown';
}

// A remote tool brings its own definition and repository URL, and runs only the given steps.
function benchTool(name, { def = TOOLS[name], repo, steps = STEPS } = {}) {
  const local = repo === undefined;
  const tool = {
    name,
    def,
    repo: repo ?? join(BENCH, 'repos', name),
    target: join(BENCH, 'restore', name),
    state: join(BENCH, 'state', name),
  };
  for (const dir of local ? [tool.repo, tool.target, tool.state] : [tool.target, tool.state]) {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(tool.state, { recursive: true });
  const result = { version: version(tool), steps: {}, repoBytes: null, stats: null, error: null };
  try {
    initRepo(tool);
    for (const step of steps) {
      process.stdout.write(`  ${name}: ${step.label} … `);
      result.steps[step.id] = step.run(tool);
      process.stdout.write(`${result.steps[step.id].seconds.toFixed(2)} s\n`);
    }
    if (local) {
      result.repoBytes = repoBytes(tool);
      result.stats = tool.def.stats ? stats(tool) : null;
    }
  } catch (err) {
    process.stdout.write('FAILED\n');
    result.failedStep = steps.find((step) => !result.steps[step.id])?.id ?? 'after the steps';
    result.error = err.message;
    process.stderr.write(`${name}: ${err.message}\n`);
  }
  return result;
}

function hasCommand(argv) {
  const res = spawnSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  return !res.error && res.status === 0;
}

// Debian's packages are the reference versions; install only what is missing.
function ensureInstalled(names, packages = []) {
  const needed = names.filter((n) => TOOLS[n].apt && !hasCommand(TOOLS[n].version)).map((n) => TOOLS[n].apt);
  needed.push(...packages.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0));
  if (!hasCommand(['/usr/bin/time', '-f', '%e', 'true'])) needed.push('time');
  if (needed.length === 0) return;
  console.log(`installing ${needed.join(' ')} …`);
  const argv = process.getuid() === 0 ? ['apt-get'] : ['sudo', 'apt-get'];
  const apt = (...args) =>
    spawnSync(argv[0], [...argv.slice(1), ...args], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  // Update only when needed: a stale package list is the usual reason an install fails.
  if (!apt('install', '-y', ...needed) && !(apt('update') && apt('install', '-y', ...needed))) {
    fail(`could not install ${needed.join(' ')}`);
  }
}

// Remote runs come after the local ones, on the same data, one tool at a time like them.
async function benchRemotes() {
  if (REMOTE_NAMES.length === 0) return {};
  const unknown = REMOTE_NAMES.filter((n) => n !== 'sftp' && n !== 's3');
  if (unknown.length) fail(`unknown remote(s) in BENCH_REMOTES: ${unknown.join(', ')}`);
  const stateDir = join(BENCH, 'state');
  mkdirSync(stateDir, { recursive: true });
  const servers = await startRemotes(REMOTE_NAMES);
  try {
    const steps = STEPS.filter((step) => REMOTE_STEP_IDS.includes(step.id));
    const remote = {};
    for (const tool of remoteTools(servers, TOOLS, stateDir)) {
      remote[tool.name] = benchTool(tool.name, { def: tool.def, repo: tool.repo, steps });
    }
    return remote;
  } finally {
    await stopRemotes(servers);
  }
}

// Only the tools that define a forget --prune (borg is not part of this comparison).
function benchLifecycle() {
  const names = TOOL_NAMES.filter((name) => TOOLS[name].forgetPrune);
  if (names.length === 0 || process.env.BENCH_LIFECYCLE === '0') return undefined;
  console.log('forget --prune after 10 backups with 5 % churn:');
  try {
    return benchForgetPrune(TOOLS, names, Math.min(SIZE_MIB, 512));
  } catch (err) {
    process.stderr.write(`forget --prune: ${err.message}
`);
    return { error: err.message };
  }
}

// The in-memory index alone, in a process of its own so that nothing else is on its heap.
function benchIndex() {
  if (process.env.BENCH_INDEX_BLOBS === '0') return undefined;
  console.log('in-memory index …');
  const res = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', join(ROOT, 'test/bench/index-memory.mjs')],
    { encoding: 'utf8', env: process.env },
  );
  if (res.status !== 0) {
    process.stderr.write(`index benchmark: ${res.stderr}\n`);
    return { error: res.stderr.trim().split('\n').at(-1) ?? `exit ${res.status}` };
  }
  return JSON.parse(res.stdout);
}

async function main() {
  const unknown = TOOL_NAMES.filter((n) => !TOOLS[n]);
  if (unknown.length) fail(`unknown tool(s) in BENCH_TOOLS: ${unknown.join(', ')}`);
  if (!(SIZE_MIB > 0)) fail(`BENCH_SIZE_MIB must be a positive number`);
  mkdirSync(join(BENCH, 'logs'), { recursive: true });
  // The SFTP comparison runs restic too, against Debian's sshd.
  const sftp = REMOTE_NAMES.includes('sftp');
  ensureInstalled([...new Set([...TOOL_NAMES, ...(sftp ? ['restic'] : [])])], sftp ? ['openssh-server'] : []);

  const dataset = ensureDataset(DATA, SIZE_MIB);
  console.log(
    dataset.reused
      ? `data set: reusing ${SIZE_MIB} MiB in ${DATA}`
      : `data set: generated ${SIZE_MIB} MiB (${dataset.files} files) in ${dataset.seconds.toFixed(1)} s`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    dataset: { sizeMiB: dataset.sizeMiB, files: dataset.files, plan: dataset.plan },
    budgets: BUDGETS,
    tools: {},
  };
  // Read everything once so that the first tool does not pay for a cold page cache the others skip.
  spawnSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'sh', DATA], { stdio: 'inherit' });
  // Same step order for every tool, one after another: the page cache cannot be dropped, so at least
  // every tool meets it in the same state.
  for (const name of TOOL_NAMES) results.tools[name] = benchTool(name);
  results.remote = await benchRemotes();
  results.lifecycle = benchLifecycle();
  results.index = benchIndex();

  const markdown =
    renderMarkdown(results, STEPS) +
    renderRemote(results, STEPS) +
    renderLifecycle(results) +
    renderIndex(results);
  writeFileSync(join(BENCH, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(BENCH, 'results.md'), markdown);
  console.log(`\n${markdown}\nwritten to ${join(BENCH, 'results.md')} and results.json`);
  const failed = [
    ...Object.values(results.tools),
    ...Object.values(results.remote),
    results.lifecycle ?? {},
    results.index ?? {},
  ].some((r) => r.error);
  return failed ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exitCode = 2;
}
