// Builds ssh2's optional native crypto binding for the Node that runs Cairn, then checks that it loads.
// ssh2's own install script (denied in allowScripts) would build against whatever headers npm's
// `nodedir` names — on these machines Node 20's — and Node 24 would then refuse the addon, leaving
// ssh2 on its JavaScript fallback without a word. With the binding, an SFTP transfer costs about a
// quarter less CPU; that is what keeps a backup over SFTP within restic's time.
// Runs as the root package's postinstall; exits non-zero when the binding cannot be built or loaded.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(join(ROOT, 'libs/engine/package.json'));
const LOADS = "process.exit(require('ssh2/lib/protocol/crypto.js').bindingAvailable ? 0 : 1)";

function fail(message) {
  process.stderr.write(`build-ssh2-crypto: ${message}\n`);
  process.exit(1);
}

function bindingLoads() {
  return spawnSync(process.execPath, ['-e', LOADS], { cwd: join(ROOT, 'libs/engine') }).status === 0;
}

if (bindingLoads()) process.exit(0);

// The `node` dev dependency installs the official build, headers included, as a platform package.
const headers = join(ROOT, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`);
const versionFile = join(headers, 'include/node/node_version.h');
if (!existsSync(versionFile))
  fail(`no Node headers at ${headers}: run "npm ci" so the node package installs them`);
const major = /define NODE_MAJOR_VERSION (\d+)/.exec(readFileSync(versionFile, 'utf8'))?.[1];
if (major !== process.versions.node.split('.')[0]) {
  fail(`headers are for Node ${major}, but this is Node ${process.version}: run npm with the project's Node`);
}
const nodeGyp = process.env.npm_config_node_gyp;
if (!nodeGyp) fail('npm did not say where node-gyp is (run this through "npm ci")');

const crypto = join(dirname(require.resolve('ssh2/package.json')), 'lib/protocol/crypto');
const build = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    `--nodedir=${headers}`,
    `--real_openssl_major=${process.versions.openssl.split('.')[0]}`,
  ],
  // npm passes its own nodedir setting down as npm_config_nodedir, which node-gyp prefers to the flag.
  { cwd: crypto, encoding: 'utf8', env: { ...process.env, npm_config_nodedir: headers } },
);
if (build.status !== 0) {
  process.stderr.write(build.stdout + build.stderr);
  fail('node-gyp could not build the binding (it needs make, g++ and python3)');
}
if (!bindingLoads()) fail('the binding was built but does not load');
process.stdout.write('build-ssh2-crypto: ssh2 native crypto binding built\n');
