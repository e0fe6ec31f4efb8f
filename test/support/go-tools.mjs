// Tools the tests and the benchmark build from their Go modules (DESIGN §7), cached between runs so
// that only the first run on a machine pays for the build. Go itself is on this project's machines
// (/usr/local/go); a machine without it fails with one line naming what is missing.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
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
  return { tool, dir, binary: join(dir, tool.binary) };
}

/** True when the tool's binary is in the cache already. */
export function toolBuilt(name) {
  return existsSync(cached(name).binary);
}

/** The path of a tool's binary, built into the cache on first use. */
export function goTool(name) {
  const { tool, dir, binary } = cached(name);
  if (existsSync(binary)) return binary;
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
