#!/usr/bin/env node
// The one entrypoint of the one image (DESIGN §2): the command picks the service, so every container
// of the stack runs the same build.
import { readFileSync } from 'node:fs';
import { CLUSTER_SERVICES, SERVICES, SERVICE_NAMES } from './services.mjs';

const RUNNABLE = { ...SERVICES, ...CLUSTER_SERVICES };

const HELP = `Usage: cairn-server <service>          run one service
       cairn-server health <service>   exit 0 when it answers, 1 otherwise (container health checks)
       cairn-server health             the same for the service this container runs (its PID 1)

Services:
${Object.entries(RUNNABLE)
  .map(([name, what]) => `  ${name.padEnd(17)} ${what}`)
  .join('\n')}

Each service reads its settings from environment variables (README: "Running the server").`;

const USAGE_ERROR = 2;

function fail(message, code = 1) {
  process.stderr.write(`cairn-server: ${message}\n`);
  process.exit(code);
}

function serviceName(name, services = SERVICES) {
  const names = Object.keys(services);
  if (name === undefined) fail(`name a service (${names.join(', ')}); see --help`, USAGE_ERROR);
  if (!Object.hasOwn(services, name)) {
    fail(`unknown service "${name}" (expected one of: ${names.join(', ')})`, USAGE_ERROR);
  }
  return name;
}

async function loadMain(name) {
  try {
    const { main } = await import(`@cairn/${name}/main`);
    if (typeof main !== 'function') fail(`@cairn/${name}/main exports no main()`);
    return main;
  } catch (error) {
    // Only the service's own entry missing means "not built"; a missing dependency deeper down is
    // a real error, reported as it is.
    if (error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(`${name}/dist/src/main.js`)) {
      fail(`the ${name} service is not built (services/${name}/dist/src/main.js is missing; run make build)`);
    }
    fail(`${name}: ${error.message}`);
  }
}

async function run(name) {
  const main = await loadMain(name);
  let service;
  try {
    service = await main();
  } catch (error) {
    fail(`${name}: ${error.message}`);
  }
  // As PID 1 in a container, Node gets no default signal handling: without a handler, `docker stop`
  // waits for SIGKILL. A service that installed its own is left to it, so it is not closed twice.
  const stop = typeof service?.close === 'function' ? () => service.close() : () => Promise.resolve();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    if (process.listenerCount(signal) > 0) continue;
    process.once(signal, () => {
      process.once(signal, () => fail(`${name}: stopped by a second ${signal}`));
      stop().then(
        () => process.exit(0),
        (error) => fail(`${name}: stopping: ${error.message}`),
      );
    });
  }
}

/**
 * The service PID 1 runs: the image's HEALTHCHECK is the same for every container, and a container
 * started from a NAS GUI says which service it is only by its command.
 */
function containerService() {
  let args = [];
  try {
    args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
  } catch {
    // Not Linux, or no /proc: nothing to read, and the message below says what to do.
  }
  const name = args.find((arg) => Object.hasOwn(SERVICES, arg));
  if (name === undefined) fail(`name a service (${SERVICE_NAMES.join(', ')}): PID 1 runs none`, USAGE_ERROR);
  return name;
}

async function health(name) {
  const { checkHealth } = await import('./health.mjs');
  try {
    process.stdout.write(`${await checkHealth(name)}\n`);
    process.exit(0);
  } catch (error) {
    fail(error.message);
  }
}

const [command, target, ...extra] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  (command === undefined ? process.stderr : process.stdout).write(`${HELP}\n`);
  process.exit(command === undefined ? USAGE_ERROR : 0);
}
if (command === 'health') {
  if (extra.length > 0) fail(`unexpected argument "${extra[0]}"`, USAGE_ERROR);
  await health(serviceName(target ?? containerService()));
} else {
  if (target !== undefined) fail(`unexpected argument "${target}"`, USAGE_ERROR);
  await run(serviceName(command, RUNNABLE));
}
