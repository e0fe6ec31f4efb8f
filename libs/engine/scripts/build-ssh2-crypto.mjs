// Builds ssh2's optional native crypto binding for the Node that runs Cairn, then checks that it loads.
// ssh2's own install script (denied in allowScripts) would build against whatever headers npm's
// `nodedir` names, and Node 24 would then refuse the addon, leaving ssh2 on its JavaScript fallback
// without a word. With the binding, an SFTP transfer costs about a quarter less CPU; that is what
// keeps a backup over SFTP within restic's time.
// Runs as the root package's postinstall (an image built with --ignore-scripts can run it after
// `npm ci`); exits non-zero when the binding cannot be built or loaded.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { nodeGypRebuild, ROOT } from './node-gyp.mjs';

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
const crypto = join(dirname(require.resolve('ssh2/package.json')), 'lib/protocol/crypto');
const failure = nodeGypRebuild(crypto, [`--real_openssl_major=${process.versions.openssl.split('.')[0]}`]);
if (failure) fail(failure);
if (!bindingLoads()) fail('the binding was built but does not load');
process.stdout.write('build-ssh2-crypto: ssh2 native crypto binding built\n');
