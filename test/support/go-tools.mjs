// Tools the tests and the benchmark build from their Go modules (DESIGN §7), cached between runs so
// that only the first run on a machine pays for the build. Go itself is on this project's machines
// (/usr/local/go); a machine without it fails with one line naming what is missing.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { setPriority } from 'node:os';
import { homedir } from 'node:os';
import process from 'node:process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Each tool: the package `go install` builds, at a pinned version, and the binary it makes.
 * A module with `replace` directives cannot be `go install`ed; such a tool names `goModule`, a folder
 * holding a small go.mod of ours that requires it, and is built there with `go build`.
 */
/** The one test/k8s/apiserver/go.mod requires. */
const KUBERNETES_VERSION = 'v1.37.2';

export const GO_TOOLS = {
  helm: { package: 'helm.sh/helm/v4/cmd/helm', version: 'v4.2.4', binary: 'helm' },
  // Many clusters are still driven by Helm 3: the chart is checked with both.
  helm3: { package: 'helm.sh/helm/v3/cmd/helm', version: 'v3.21.4', binary: 'helm' },
  restic: { package: 'github.com/restic/restic/cmd/restic', version: 'v0.19.1', binary: 'restic' },
  kopia: {
    package: 'github.com/kopia/kopia',
    version: 'v0.23.1',
    binary: 'kopia',
    // The module proxy will not list kopia's versions, which `go install` reads for deprecations.
    goModule: join(TEST_DIR, 'bench', 'kopia'),
  },
  // MinIO tags its releases RELEASE.…, not semver: the module proxy serves commits as pseudo-versions.
  minio: {
    package: 'github.com/minio/minio',
    version: 'v0.0.0-20260212201848-7aac2a2c5b7c',
    binary: 'minio',
  },
  'kube-apiserver': {
    package: 'k8s.io/kubernetes/cmd/kube-apiserver',
    version: KUBERNETES_VERSION,
    binary: 'kube-apiserver',
    goModule: join(TEST_DIR, 'k8s', 'apiserver'),
    // What Kubernetes' own build stamps in: without it the server says v0.0.0, and Helm refuses charts
    // that name a kubeVersion.
    ldflags: kubernetesVersionFlags(KUBERNETES_VERSION),
  },
};

/** The `-X` flags that stamp a Kubernetes binary with `version` (vMAJOR.MINOR.PATCH). */
function kubernetesVersionFlags(version) {
  const [major, minor] = version.slice(1).split('.');
  const variable = (name, value) => `-X k8s.io/component-base/version.${name}=${value}`;
  return [variable('gitVersion', version), variable('gitMajor', major), variable('gitMinor', minor)].join(
    ' ',
  );
}

export const TOOLS_CACHE = process.env.CAIRN_TOOLS_CACHE || join(homedir(), '.cache', 'cairn', 'tools');

/** The `go` command: on PATH, else Go's standard install folder. */
export function goCommand() {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/local/go/bin']) {
    if (dir && existsSync(join(dir, 'go'))) return join(dir, 'go');
  }
  throw new Error('Go is not installed (no `go` on PATH or in /usr/local/go/bin): it builds the test tools');
}

function cached(name) {
  const tool = GO_TOOLS[name];
  if (!tool) throw new Error(`unknown Go tool ${name}`);
  const dir = join(TOOLS_CACHE, `${name}-${tool.version}`);
  return { tool, dir, binary: join(dir, tool.binary), pending: `${dir}.pending`, failed: `${dir}.failed` };
}

/** True when the tool's binary is in the cache already. */
export function toolBuilt(name) {
  return existsSync(cached(name).binary);
}

/** The path of a tool's binary, built into the cache on first use (or by the background build). */
export function goTool(name) {
  const { tool, dir, binary } = cached(name);
  if (existsSync(binary)) return binary;
  if (awaitBackgroundBuild(name)) return binary;
  mkdirSync(TOOLS_CACHE, { recursive: true });
  // Built into a folder of its own and renamed into place, so two suites building at once never
  // see half a binary: the loser's rename fails and its copy is dropped.
  const staging = mkdtempSync(join(TOOLS_CACHE, `.${name}-`));
  try {
    const go = goCommand();
    const env = { ...process.env, GOBIN: staging, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };
    if (tool.goModule) {
      const ldflags = tool.ldflags ? ['-ldflags', tool.ldflags] : [];
      execFileSync(go, ['build', ...ldflags, '-o', join(staging, tool.binary), tool.package], {
        cwd: tool.goModule,
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    } else {
      execFileSync(go, ['install', `${tool.package}@${tool.version}`], {
        env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      if (!existsSync(binary)) throw error;
    }
  } catch (error) {
    throw new Error(`cannot build ${name} ${tool.version} from its Go module: ${error.message}`, {
      cause: error,
    });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

const BACKGROUND_BUILD_LIMIT_MS = 60 * 60_000;

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits (blocking: suites ask for a tool's path as they load) while the background build of
 * `buildInBackground` owns the tool. True when it built it; throws its failure; false when no live
 * build owns it, so the caller builds it itself.
 */
function awaitBackgroundBuild(name) {
  const { binary, pending, failed } = cached(name);
  const builder = () => {
    const pid = Number(readIfThere(pending) ?? process.pid);
    return pid !== process.pid && isAlive(pid);
  };
  if (!builder()) return false;
  const deadline = Date.now() + BACKGROUND_BUILD_LIMIT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (builder() && Date.now() < deadline) Atomics.wait(pause, 0, 0, 1000);
  if (existsSync(binary)) return true;
  const failure = readIfThere(failed);
  if (failure) throw new Error(failure);
  return false;
}

/** A marker's text, or undefined when it is not there (the builder removes them as it goes). */
function readIfThere(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Builds the tools one after another in a process of its own, at low priority, while the suites
 * run: the first suites need none of them, and a cold cache's builds (the Kubernetes API server alone
 * takes ~11 min) no longer come before every test. A suite that asks for a tool still being built
 * waits for it (goTool). Returns the builder, which exits when all are built; its output is in `log`.
 */
export function buildInBackground(names, log) {
  const waiting = names.filter((name) => !toolBuilt(name));
  if (waiting.length === 0) return null;
  mkdirSync(TOOLS_CACHE, { recursive: true });
  for (const name of waiting) rmSync(cached(name).failed, { force: true });
  const output = openSync(log, 'a');
  const builder = spawn(process.execPath, [fileURLToPath(import.meta.url), ...waiting], {
    stdio: ['ignore', output, output],
  });
  setPriority(builder.pid, 15);
  // Written before any suite starts, so none of them begins a second build of the same tool.
  for (const name of waiting) writeFileSync(cached(name).pending, String(builder.pid));
  return builder;
}

/** The background builder: `node go-tools.mjs NAME…`. */
function buildEach(names) {
  for (const name of names) {
    const { pending, failed } = cached(name);
    const started = Date.now();
    try {
      goTool(name);
      console.log(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
    } catch (error) {
      writeFileSync(failed, error.message);
      console.log(error.message);
    } finally {
      rmSync(pending, { force: true });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildEach(process.argv.slice(2));
