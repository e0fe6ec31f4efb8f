#!/usr/bin/env node
// `make test`'s set-up (DESIGN §7): the Debian packages the suites use, PostgreSQL and NATS found or
// provided (services.mjs), the Go tools built into their cache; then runs the command it is given
// (the suites) with the services' URLs in its environment, and stops any container it started.
// Whatever is missing and cannot be provided ends it with one line naming it.
//   node test/support/setup.mjs [command args…]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { CHROMIUM } from './browser.mjs';
import { canInstallPackages, installPackages, missingPackages } from './debian.mjs';
import { join } from 'node:path';
import { buildInBackground, goCommand, goTool, GO_TOOLS, TOOLS_CACHE, toolBuilt } from './go-tools.mjs';
import { privateNats, provideServices } from './services.mjs';

/** Debian packages the suites run, each with the file that shows it is there on any system. */
const PACKAGES = [
  { name: 'openssh-server', file: '/usr/sbin/sshd' }, // the SFTP destination
  { name: 'openssh-client', file: '/usr/bin/ssh-keyscan' },
  { name: 'chromium', file: CHROMIUM }, // the web UI suites
  { name: 'bsdutils', file: '/usr/bin/script' }, // a terminal for the CLI's progress output
  { name: 'acl', file: '/usr/bin/setfacl' }, // ACLs and extended attributes on test files
  { name: 'attr', file: '/usr/bin/setfattr' },
  { name: 'etcd-server', file: '/usr/bin/etcd' }, // under the Kubernetes API server of the chart tests
  { name: 'docker-compose', file: '/usr/bin/docker-compose' }, // Compose v1, which checks the NAS stack's file
];

/**
 * The Go tools the suites run, built here so that no test's time limit includes a build: MinIO before
 * the suites (the engine's, which come first, use it), the others beside them, for the suites at the
 * end (chart and Kubernetes), which wait for them if they get there first.
 */
const GO_TOOLS_FIRST = ['minio'];
const GO_TOOLS_BESIDE_THE_SUITES = ['helm', 'helm3', 'kube-apiserver'];
const BACKGROUND_BUILD_LOG = join(TOOLS_CACHE, 'background-build.log');

function say(line) {
  process.stderr.write(`setup: ${line}\n`);
}

function providePackages() {
  if (canInstallPackages()) {
    // privateNats() runs Debian's nats-server even where NATS_URL names a shared server.
    const missing = missingPackages([...PACKAGES.map(({ name }) => name), 'nats-server']);
    if (missing.length > 0) say(`installing Debian's ${missing.join(' ')}`);
    installPackages(missing);
  }
  const absent = PACKAGES.filter(({ file }) => !existsSync(file));
  if (absent.length > 0) {
    const named = absent.map(({ name, file }) => `${name} (${file})`).join(', ');
    throw new Error(`missing ${named}: install them, or run make test as root on Debian, which does`);
  }
}

function provideGoTools() {
  goCommand();
  for (const name of GO_TOOLS_FIRST) {
    if (toolBuilt(name)) continue;
    const started = Date.now();
    say(
      `building ${name} ${GO_TOOLS[name].version} from its Go module into ${TOOLS_CACHE} (once per machine)`,
    );
    goTool(name);
    say(`built ${name} in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const builder = buildInBackground(GO_TOOLS_BESIDE_THE_SUITES, BACKGROUND_BUILD_LOG);
  if (!builder) return Promise.resolve();
  const names = GO_TOOLS_BESIDE_THE_SUITES.filter((name) => !toolBuilt(name));
  say(`building ${names.join(', ')} from their Go modules beside the suites (log: ${BACKGROUND_BUILD_LOG})`);
  return new Promise((resolve) => builder.once('exit', resolve));
}

/** After the suites: the background build's end, so that the next run finds every tool cached. */
async function finishGoTools(built) {
  await built;
  const missing = GO_TOOLS_BESIDE_THE_SUITES.filter((name) => !toolBuilt(name));
  if (missing.length > 0) say(`could not build ${missing.join(', ')}: see ${BACKGROUND_BUILD_LOG}`);
}

async function main() {
  providePackages();
  const services = await provideServices();
  for (const line of services.lines) say(line);
  let goToolsBuilt;
  try {
    // The suites' own NATS servers: fails here, once, rather than in every suite.
    await (await privateNats()).stop();
    goToolsBuilt = provideGoTools();
  } catch (error) {
    await services.stop();
    throw error;
  }
  const [command, ...args] = process.argv.slice(2);
  let code = 0;
  if (command) {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...services.env } });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    code = await new Promise((resolve) =>
      child.once('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
    );
  }
  await finishGoTools(goToolsBuilt);
  await services.stop();
  process.exitCode = code;
}

main().catch((error) => {
  say(error.message);
  process.exitCode = 1;
});
