// Builds the engine's own addon (libs/engine/native: *at() calls that never follow symlinks,
// nanosecond times, extended attributes, sparse writes) for the Node that runs Cairn, and checks that
// it loads. Without it the engine refuses to start: restoring without it would follow symlinks and
// drop metadata, which is not something to fall back to quietly.
// Runs as the root package's postinstall (an image built with --ignore-scripts runs it after
// `npm ci`); needs python3, make and g++; exits non-zero when the addon cannot be built or loaded.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { nodeGypRebuild, ROOT } from './node-gyp.mjs';

const NATIVE = join(ROOT, 'libs/engine/native');
const LOADS =
  "process.exit(typeof require('./build/Release/cairn_fs.node').openBeneath === 'function' ? 0 : 1)";

function fail(message) {
  process.stderr.write(`build-native: ${message}\n`);
  process.exit(1);
}

const failure = nodeGypRebuild(NATIVE);
if (failure) fail(failure);
const load = spawnSync(process.execPath, ['-e', LOADS], { cwd: NATIVE, encoding: 'utf8' });
if (load.status !== 0) fail(`the addon was built but does not load:\n${load.stderr}`);
process.stdout.write('build-native: the engine addon (libs/engine/native) is built\n');
