// A Docker Engine and a Compose for the containerized suite (DESIGN §7): the ones this machine has;
// else, as root on Debian, Debian's packages installed and dockerd started; else one line naming
// what is missing.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const DOCKERD_LOG = '/var/log/cairn-test-dockerd.log';

function succeeds(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

const mayInstall = () => process.getuid?.() === 0 && existsSync('/etc/debian_version');

function aptInstall(packages) {
  const run = (args) => spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;
  if (
    !run(['install', '-y', '-qq', ...packages]) &&
    !(run(['update', '-qq']) && run(['install', '-y', '-qq', ...packages]))
  )
    throw new Error(`cannot install ${packages.join(' ')} with apt-get`);
}

/** Resolves once `docker info` answers, starting the engine where this machine allows it. */
export async function ensureDockerEngine() {
  if (succeeds('docker', ['info'])) return;
  if (!mayInstall()) {
    const what = succeeds('docker', ['--version'])
      ? 'no Docker Engine answers (start dockerd, or run as root on Debian so that the suite starts it)'
      : 'Docker is not installed (apt-get install docker.io, or run as root on Debian)';
    throw new Error(`containerized suite: ${what}`);
  }
  if (!existsSync('/usr/sbin/dockerd') || !succeeds('docker', ['--version'])) aptInstall(['docker.io']);
  // Left running after the suite, like the PostgreSQL the other suites start: the next run reuses it.
  const log = openSync(DOCKERD_LOG, 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
  for (let attempt = 0; attempt < 120; attempt++) {
    if (succeeds('docker', ['info'])) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`containerized suite: dockerd did not answer within a minute (see ${DOCKERD_LOG})`);
}

/** The Compose command, as [command, ...args]: the v2 plugin when present, else Debian's v1. */
export function composeCommand() {
  if (succeeds('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (!succeeds('docker-compose', ['version']) && mayInstall()) aptInstall(['docker-compose']);
  if (succeeds('docker-compose', ['version'])) return ['docker-compose'];
  throw new Error('containerized suite: neither `docker compose` nor `docker-compose` is installed');
}

/** Runs docker with `args`; rejects with its stderr. */
export async function docker(args, options = {}) {
  try {
    return await execFileAsync('docker', args, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    throw new Error(`docker ${args.slice(0, 2).join(' ')}: ${error.stderr || error.message}`.trim(), {
      cause: error,
    });
  }
}

/** Builds `dockerfile` in `context` as `tag`, with `args` as build arguments. */
export function dockerBuild({ tag, dockerfile, context, args = {}, timeout }) {
  const buildArgs = Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]);
  return docker(['build', '-q', '-t', tag, ...buildArgs, '-f', dockerfile, context], { timeout });
}

export function imageExists(tag) {
  return succeeds('docker', ['image', 'inspect', tag]);
}
