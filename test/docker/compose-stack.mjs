// The project's docker-compose.yml run by Compose (v1 or v2) under a project name of its own, with
// a test override for only what must differ here: the images. Health checks keep the file's own
// pace, so the start-up times measured are those a NAS sees.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { compose as projectCompose, ROOT } from '../deploy/project.mjs';
import { docker } from './engine.mjs';

const execFileAsync = promisify(execFile);

export class ComposeStack {
  /**
   * `command`: the Compose command ([command, ...args]); `dir`: where the .env and the override go;
   * `images`: { cairn, postgres, nats }.
   */
  constructor(command, project, dir, env, images) {
    this.command = command;
    this.project = project;
    this.dir = dir;
    this.envFile = join(dir, '.env');
    this.overrides = [join(dir, 'override.yml')];
    this.setEnv(env);
    this.setImages(images);
  }

  setEnv(env) {
    this.env = env;
    writeFileSync(
      this.envFile,
      Object.entries(env)
        .map(([name, value]) => `${name}=${value}\n`)
        .join(''),
    );
  }

  /** Writes the override: the images to run. */
  setImages(images) {
    const services = {};
    for (const [name, service] of Object.entries(projectCompose().services)) {
      const image = service.build ? images.cairn : images[name];
      if (!image) continue;
      services[name] = { image };
    }
    writeFileSync(this.overrides[0], stringify({ services }));
  }

  async run(args, timeout = 600_000) {
    const [command, ...prefix] = this.command;
    const files = [join(ROOT, 'docker-compose.yml'), ...this.overrides].flatMap((file) => ['-f', file]);
    // The project folder is the repository, as for a user who runs compose next to the file; .env
    // comes from the test's folder.
    const all = [
      ...prefix,
      '-p',
      this.project,
      '--project-directory',
      ROOT,
      '--env-file',
      this.envFile,
      ...files,
      ...args,
    ];
    try {
      return await execFileAsync(command, all, { timeout, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      throw new Error(`${this.command.join(' ')} ${args.join(' ')}: ${error.stderr || error.message}`, {
        cause: error,
      });
    }
  }

  async containerId(service) {
    const { stdout } = await this.run(['ps', '-q', service]);
    const id = stdout.trim().split('\n')[0];
    if (!id) throw new Error(`no container runs ${service}`);
    return id;
  }

  async inspect(service, format) {
    return (await docker(['inspect', '-f', format, await this.containerId(service)])).stdout.trim();
  }

  /** The health checks' recent results of a service's container, newest last. */
  async healthLog(service) {
    return JSON.parse(await this.inspect(service, '{{json .State.Health.Log}}')) ?? [];
  }

  /**
   * Resolves once each of `services` is healthy (polling their health state, which Docker updates
   * every interval); rejects naming the ones that are not, with their last health output.
   */
  async waitHealthy(services, timeoutMs = 600_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        services.map(async (name) => [
          name,
          await this.inspect(name, '{{.State.Health.Status}}').catch(() => 'absent'),
        ]),
      );
      const waiting = states.filter(([, state]) => state !== 'healthy');
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        const detail = await Promise.all(
          waiting.map(
            async ([name, state]) =>
              `${name} ${state}: ${(await this.healthLog(name).catch(() => [])).at(-1)?.Output?.trim() ?? ''}`,
          ),
        );
        throw new Error(`not healthy within ${timeoutMs / 1000} s: ${detail.join('; ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  async logs(service) {
    const { stdout, stderr } = await this.run(['logs', '--no-color', service]);
    return stdout + stderr;
  }
}
