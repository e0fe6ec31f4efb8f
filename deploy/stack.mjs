// Every service as a local process, through the image's own entrypoint: used by `make dev` and by the
// end-to-end tests. Keeps each service's log lines, so tests can read what a person would.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { checkHealth, gatewayHealth } from './health.mjs';
import { SERVICE_NAMES, serviceEnv } from './services.mjs';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'cairn-server.mjs');
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class Stack {
  /** Every line every service wrote, as `{ service, line, child }` (child: the process that wrote it). */
  lines = [];
  /** The gateway's URL once it listens, and the admin password if it generated one. */
  url;
  password;
  #children = new Set();
  #onLine;
  #onExit;
  #stopping = false;

  /** `onLine(service, line)` sees every line; `onExit(service, code, signal)` a service that ends unasked. */
  constructor(env, { onLine, onExit } = {}) {
    this.env = env;
    this.#onLine = onLine;
    this.#onExit = onExit;
  }

  /** Starts one replica of a service; `extraEnv` tells replicas apart (e.g. CAIRN_RUNNER_NAME). */
  start(name, extraEnv = {}) {
    const child = spawn(process.execPath, [SERVER, name], {
      // `/metrics` on any free port unless told: replicas and the suites' stacks share one host.
      env: serviceEnv(name, { CAIRN_METRICS_PORT: '0', ...this.env, ...extraEnv }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl-C meant for `make dev` reaches it only through stop().
      detached: true,
    });
    child.service = name;
    child.replicaEnv = extraEnv;
    this.#children.add(child);
    child.once('exit', (code, signal) => {
      this.#children.delete(child);
      if (!this.#stopping) this.#onExit?.(name, code, signal);
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push({ service: name, line, child });
        if (name === 'gateway') {
          this.password ??= /first start: the admin password is (\S+)/.exec(line)?.[1];
          if (!this.url && line.includes('"msg":"gateway listening"')) this.url = JSON.parse(line).url;
        }
        this.#onLine?.(name, line);
      });
    }
    return child;
  }

  running(name) {
    return [...this.#children].filter((child) => child.service === name && child.exitCode === null);
  }

  /** Waits until the service answers like its clients need it to. */
  async waitHealthy(name, child) {
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last;
    while (Date.now() < deadline) {
      if (child && child.exitCode !== null)
        throw new Error(`${name} exited while starting (code ${child.exitCode})\n${this.log(name)}`);
      try {
        if (name !== 'gateway') return await checkHealth(name, serviceEnv(name, this.env));
        if (!this.url) throw new Error('not listening yet');
        return await gatewayHealth(this.url);
      } catch (error) {
        last = error;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    throw new Error(
      `${name} did not answer within ${START_TIMEOUT_MS / 1000} s: ${last?.message}\n${this.log(name)}`,
    );
  }

  /** The last lines of a service's log, for error messages. */
  log(name, count = 20) {
    return this.lines
      .filter((entry) => entry.service === name)
      .slice(-count)
      .map((entry) => `  ${name} | ${entry.line}`)
      .join('\n');
  }

  /** SIGTERM to every service, SIGKILL to those still running after the grace period. */
  async stop() {
    this.#stopping = true;
    const running = [...this.#children].filter((child) => child.exitCode === null);
    for (const child of running) child.kill('SIGTERM');
    const killer = setTimeout(() => running.forEach((child) => child.kill('SIGKILL')), STOP_TIMEOUT_MS);
    await Promise.all(
      running.map((child) =>
        child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)),
      ),
    );
    clearTimeout(killer);
  }
}

/**
 * The catalog first (it migrates the database), then the runners and schedulers, then the gateway;
 * resolves once every one of them answers.
 */
export async function startStack(env, { runners = 1, schedulers = 1, onLine, onExit } = {}) {
  const stack = new Stack(env, { onLine, onExit });
  try {
    await stack.waitHealthy('catalog', stack.start('catalog'));
    // Every other service of the image, runners and schedulers as often as asked.
    const replicas = { runner: runners, scheduler: schedulers };
    const workers = SERVICE_NAMES.filter((name) => name !== 'catalog' && name !== 'gateway').flatMap((name) =>
      Array.from({ length: replicas[name] ?? 1 }, (_, i) => [
        name,
        stack.start(name, name === 'runner' ? { CAIRN_RUNNER_NAME: `runner-${i + 1}` } : {}),
      ]),
    );
    const gateway = stack.start('gateway');
    await Promise.all([
      ...workers.map(([name, child]) => stack.waitHealthy(name, child)),
      stack.waitHealthy('gateway', gateway),
    ]);
    return stack;
  } catch (error) {
    await stack.stop();
    throw error;
  }
}
