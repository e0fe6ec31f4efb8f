// `make bench`: Cairn beside restic 0.19, kopia 0.23, Debian's restic 0.14 and borg on three data sets
// (DESIGN.md §8), then Cairn on remote destinations (remote.mjs), forget --prune (lifecycle.mjs) and
// the in-memory index alone (index-memory.mjs).
// Env: CAIRN_BENCH_SCALE (default 1: the 1 GiB bench set, 100 000 small files, all of the real tree;
// 0.1 for a quick run), BENCH_DATASETS (default "bench,small,real"), BENCH_REAL_TREE (default
// /usr/share), BENCH_SIZE_MIB (the bench set's size, overriding the scale), BENCH_TOOLS (default every
// tool in tools.mjs), BENCH_REMOTES (default "sftp,s3"; empty for none), BENCH_LIFECYCLE (0 for none),
// BENCH_INDEX_BLOBS (default 10 000 000; 0 for no index benchmark).
// The exit code says whether every tool worked and restored exactly; budgets are only reported.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { DATASETS } from './dataset.mjs';
import { benchForgetPrune } from './lifecycle.mjs';
import { BENCH, fail, initRepo, measure, repoBytes, ROOT, run } from './process.mjs';
import { remoteTools, REMOTE_STEP_IDS, startRemotes, stopRemotes } from './remote.mjs';
import { renderDataset, renderIndex, renderLifecycle, renderRemote, renderSummary } from './report.mjs';
import { prepareTools, REFERENCE, TOOL_NAMES, toolVersion } from './tools.mjs';

const list = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const SCALE = Number(process.env.CAIRN_BENCH_SCALE ?? 1);
const SIZE_MIB = process.env.BENCH_SIZE_MIB ? Number(process.env.BENCH_SIZE_MIB) : undefined;
const DATASET_NAMES = list(process.env.BENCH_DATASETS ?? 'bench,small,real');
// /usr/share: ~50 000 real files in under 1 GiB (/usr/lib here is 4.3 GiB, half of it one SDK).
const REAL_TREE = process.env.BENCH_REAL_TREE ?? '/usr/share';
const TOOLS = list(process.env.BENCH_TOOLS ?? TOOL_NAMES.join(','));
const REMOTE_NAMES = list(process.env.BENCH_REMOTES ?? 'sftp,s3');
const BUDGETS = { time: 0.8, memory: 1.5, size: 1.05, padding: 0.02, indexBytesPerBlob: 100 };

const STEPS = [
  { id: 'backup1', label: 'first backup', run: (tool) => measure(tool, 'backup1', tool.def.backup(tool)) },
  {
    id: 'backup2',
    label: 'unchanged re-backup',
    run: (tool) => measure(tool, 'backup2', tool.def.backup(tool)),
  },
  { id: 'restore', label: 'restore', run: restoreAndVerify },
  { id: 'check', label: 'check --read-data', run: (tool) => measure(tool, 'check') },
];

// The comparison is outside the timed part: correctness is a gate, not a metric.
function restoreAndVerify(tool) {
  rmSync(tool.target, { recursive: true, force: true });
  mkdirSync(tool.target, { recursive: true });
  const timing = measure(tool, 'restore');
  const diff = spawnSync('diff', ['-rq', '--no-dereference', tool.data, tool.def.restored(tool)], {
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
  if (!tool.def.stats) return null;
  const [cmd, ...args] = tool.def.stats(tool);
  const res = spawnSync(cmd, args, { env: { ...process.env, ...tool.def.env(tool) }, encoding: 'utf8' });
  try {
    return JSON.parse(res.stdout);
  } catch {
    return null;
  }
}

/** A tool's folders for one data set; a remote tool brings its repository URL. */
function toolState(name, def, data, set, repo) {
  const tool = {
    name,
    def,
    data,
    repo: repo ?? join(BENCH, 'repos', set, name),
    target: join(BENCH, 'restore', name),
    state: join(BENCH, 'state', set, name),
    backups: 0,
    result: { steps: {}, repoBytes: null, stats: null, error: null },
  };
  for (const dir of repo === undefined ? [tool.repo, tool.target, tool.state] : [tool.target, tool.state]) {
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(tool.state, { recursive: true });
  return tool;
}

function failed(tool, stepId, err) {
  tool.result.failedStep = stepId;
  tool.result.error = err.message;
  process.stderr.write(`${tool.name}: ${err.message}\n`);
}

/**
 * Every step for every tool, the tools taking turns within each step: on a machine that others share,
 * each tool's run of a step meets much the same load as the others'.
 */
function benchTools(tools, steps, { local = true } = {}) {
  for (const tool of tools) {
    try {
      initRepo(tool);
      for (const argv of tool.def.setup?.(tool) ?? []) {
        const res = run(tool, 'setup', argv);
        if (!res.ok) fail(`setup failed (see ${res.log})`);
      }
    } catch (err) {
      failed(tool, steps[0].id, err);
    }
  }
  for (const step of steps) {
    for (const tool of tools.filter((t) => !t.result.error)) {
      process.stdout.write(`  ${tool.name}: ${step.label} … `);
      try {
        const timing = (tool.result.steps[step.id] = step.run(tool));
        process.stdout.write(`${timing.seconds.toFixed(2)} s, ${Math.round(timing.maxRssKiB / 1024)} MiB\n`);
      } catch (err) {
        process.stdout.write('FAILED\n');
        failed(tool, step.id, err);
      }
    }
  }
  for (const tool of tools.filter((t) => local && !t.result.error)) {
    tool.result.repoBytes = repoBytes(tool);
    tool.result.stats = stats(tool);
  }
  return Object.fromEntries(tools.map((tool) => [tool.name, tool.result]));
}

function benchDataset(set, defs) {
  const dir = join(BENCH, 'data', set);
  const info = DATASETS[set].make(dir, { scale: SCALE, sizeMiB: SIZE_MIB, realSource: REAL_TREE });
  const size = `${(info.bytes / 2 ** 20).toFixed(0)} MiB in ${info.files} files`;
  console.log(
    `${DATASETS[set].label}: ${info.reused ? 'reusing' : `made in ${info.seconds.toFixed(1)} s,`} ${size}`,
  );
  // Read everything once so that the first tool does not pay for a cold page cache the others skip.
  spawnSync('sh', ['-c', 'find "$1" -type f -exec cat {} + > /dev/null', 'sh', dir], { stdio: 'inherit' });
  const tools = Object.entries(defs).map(([name, def]) => toolState(name, def, dir, set));
  const { reused: _reused, seconds: _seconds, spec: _spec, ...described } = info;
  return { name: set, label: DATASETS[set].label, ...described, tools: benchTools(tools, STEPS) };
}

// Remote runs come after the local ones, on the bench set, one tool at a time like them.
async function benchRemotes(defs) {
  if (REMOTE_NAMES.length === 0 || !defs.cairn) return {};
  const unknown = REMOTE_NAMES.filter((n) => n !== 'sftp' && n !== 's3');
  if (unknown.length) fail(`unknown remote(s) in BENCH_REMOTES: ${unknown.join(', ')}`);
  console.log('remote destinations (the bench set):');
  const data = join(BENCH, 'data', 'bench');
  DATASETS.bench.make(data, { scale: SCALE, sizeMiB: SIZE_MIB });
  const stateDir = join(BENCH, 'state');
  mkdirSync(stateDir, { recursive: true });
  const servers = await startRemotes(REMOTE_NAMES);
  try {
    const steps = STEPS.filter((step) => REMOTE_STEP_IDS.includes(step.id));
    const tools = remoteTools(servers, defs, stateDir).map(({ name, def, repo }) =>
      toolState(name, def, data, 'remote', repo),
    );
    return benchTools(tools, steps, { local: false });
  } finally {
    await stopRemotes(servers);
  }
}

// Cairn and the reference restic only: the comparison of issue 4.
function benchLifecycle(defs) {
  const names = ['cairn', REFERENCE].filter((name) => defs[name]);
  if (names.length === 0 || process.env.BENCH_LIFECYCLE === '0') return undefined;
  console.log('forget --prune after 10 backups with 5 % churn:');
  try {
    return benchForgetPrune(defs, names, Math.min(512, Math.max(16, Math.round(1024 * SCALE))));
  } catch (err) {
    process.stderr.write(`forget --prune: ${err.message}\n`);
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

/** Writes results.json and results.md; returns the Markdown. */
function writeResults(results) {
  const markdown = [
    renderSummary(results),
    ...results.datasets.map((set) => renderDataset(results, set, STEPS)),
    renderRemote(results, STEPS),
    renderLifecycle(results),
    renderIndex(results),
  ].join('\n');
  writeFileSync(join(BENCH, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(BENCH, 'results.md'), markdown);
  return markdown;
}

async function main() {
  if (!(SCALE > 0))
    fail(`CAIRN_BENCH_SCALE must be a positive number, not "${process.env.CAIRN_BENCH_SCALE}"`);
  if (SIZE_MIB !== undefined && !(SIZE_MIB > 0)) fail('BENCH_SIZE_MIB must be a positive number');
  const unknownSets = DATASET_NAMES.filter((n) => !DATASETS[n]);
  if (unknownSets.length) {
    fail(
      `unknown data set(s) in BENCH_DATASETS: ${unknownSets.join(', ')} (known: ${Object.keys(DATASETS)})`,
    );
  }
  mkdirSync(join(BENCH, 'logs'), { recursive: true });
  // The SFTP comparison runs restic too, against Debian's sshd.
  const sftp = REMOTE_NAMES.includes('sftp');
  const defs = prepareTools(TOOLS, sftp ? ['openssh-server'] : []);

  const results = {
    date: new Date().toISOString(),
    scale: SCALE,
    machine: {
      cpus: cpus().length,
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      // The load others put on a shared machine while the bench starts: the figures' noise.
      loadAverage: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    },
    reference: REFERENCE,
    versions: Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, toolVersion(def)])),
    budgets: BUDGETS,
    datasets: [],
  };
  // Written after every part, so that a run cut short still leaves what it measured.
  for (const set of DATASET_NAMES) {
    results.datasets.push(benchDataset(set, defs));
    writeResults(results);
  }
  results.remote = await benchRemotes(defs);
  writeResults(results);
  results.lifecycle = benchLifecycle(defs);
  writeResults(results);
  results.index = benchIndex();
  console.log(`\n${writeResults(results)}\nwritten to ${join(BENCH, 'results.md')} and results.json`);
  const outcomes = [
    ...results.datasets.flatMap((set) => Object.values(set.tools)),
    ...Object.values(results.remote ?? {}),
    results.lifecycle ?? {},
    results.index ?? {},
  ];
  return outcomes.some((r) => r.error) ? 1 : 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`bench: ${err.message}`);
  process.exitCode = 2;
}
