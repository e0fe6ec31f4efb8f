// Builds ssh2's optional native crypto binding for the Node that runs Cairn, then checks that it loads.
// ssh2's own install script (denied in allowScripts) would build against whatever headers npm's
// `nodedir` names — on these machines Node 20's — and Node 24 would then refuse the addon, leaving
// ssh2 on its JavaScript fallback without a word. With the binding, an SFTP transfer costs about a
// quarter less CPU; that is what keeps a backup over SFTP within restic's time.
// Runs as the root package's postinstall (an image built with --ignore-scripts can run it after
// `npm ci`); exits non-zero when the binding cannot be built or loaded.
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

function headerMajor(dir) {
  const file = join(dir, 'include/node/node_version.h');
  return existsSync(file)
    ? /define NODE_MAJOR_VERSION (\d+)/.exec(readFileSync(file, 'utf8'))?.[1]
    : undefined;
}

function bindingLoads() {
  return spawnSync(process.execPath, ['-e', LOADS], { cwd: join(ROOT, 'libs/engine') }).status === 0;
}

if (bindingLoads()) process.exit(0);

// Headers of exactly this Node: the `node` dev dependency's platform package ships them, and so does
// an official Node installation next to its binary (the node:24 image, for one).
const prefix = dirname(dirname(process.execPath));
const candidates = [
  join(ROOT, 'node_modules/node/node_modules', `node-${process.platform}-${process.arch}`),
  prefix,
];
const headers = candidates.find((dir) => headerMajor(dir) === process.versions.node.split('.')[0]);
if (!headers) fail(`no headers for Node ${process.version} in ${candidates.join(' or ')}: run "npm ci"`);
const nodeGyp = [
  process.env.npm_config_node_gyp,
  join(prefix, 'lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
]
  .filter(Boolean)
  .find((path) => existsSync(path));
if (!nodeGyp) fail('node-gyp not found: run this through npm ("npm ci")');

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
