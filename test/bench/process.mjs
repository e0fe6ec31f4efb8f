// Running the tools under measurement: shared by every part of `make bench`.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, '.bench');

export function fail(message) {
  throw new Error(message);
}

export function tail(file, lines = 15) {
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

// Runs one command with output to a log file; with `timed`, under GNU time for wall seconds and peak RSS.
export function run(tool, name, argv, { cwd, timed = false } = {}) {
  const log = join(BENCH, 'logs', `${tool.name}-${name}.log`);
  const timeFile = `${log}.time`;
  const full = timed ? ['/usr/bin/time', '-f', '%e %M', '-o', timeFile, ...argv] : argv;
  const fd = openSync(log, 'w');
  const res = spawnSync(full[0], full.slice(1), {
    cwd: cwd ?? ROOT,
    env: { ...process.env, ...tool.def.env(tool) },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (res.error) fail(`${tool.name} ${name}: ${res.error.message}`);
  const result = { ok: res.status === 0, log };
  if (timed) {
    // GNU time prefixes "Command exited with non-zero status N" on failure; the numbers are last.
    const [secs, rss] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    Object.assign(result, { seconds: secs, maxRssKiB: rss });
  }
  return result;
}

// sync first so that one tool's dirty pages are not flushed on the next tool's clock.
export function measure(tool, step, argvAndCwd = tool.def[step](tool)) {
  const { argv, cwd } = argvAndCwd;
  spawnSync('sync');
  const res = run(tool, step, argv, { cwd, timed: true });
  if (!res.ok) fail(`${step} failed (see ${res.log}):\n${tail(res.log)}`);
  return { seconds: res.seconds, maxRssKiB: res.maxRssKiB };
}

export function repoBytes(tool) {
  const du = spawnSync('du', ['-sb', tool.repo], { encoding: 'utf8' });
  if (du.status !== 0) fail(`du failed: ${du.stderr}`);
  return Number(du.stdout.split('\t')[0]);
}

export function initRepo(tool) {
  let res;
  for (const argv of tool.def.init(tool)) {
    res = run(tool, 'init', argv);
    if (res.ok) return;
  }
  fail(`init failed (see ${res.log}):\n${tail(res.log)}`);
}
