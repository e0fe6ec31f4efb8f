import { spawn, type ChildProcess } from 'node:child_process';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

type FsTree = typeof import('../../../test/support/fs-tree.mjs');

// Plain ESM at the repository root; this file runs from libs/cli/dist/test.
export const fsTree = (await import(
  fileURLToPath(new URL('../../../../test/support/fs-tree.mjs', import.meta.url))
)) as FsTree;

export const CAIRN = fileURLToPath(new URL('../../bin/cairn.js', import.meta.url));
export const PASSWORD = 'cli test password';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Run through `setpriv` as this uid/gid (tests of permission errors need a non-root user). */
  asUser?: number;
}

/** The environment every CLI run starts from: the password, nothing inherited that could leak in. */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return { PATH, HOME, CAIRN_PASSWORD: PASSWORD, ...extra };
}

export function startCli(args: string[], options: CliOptions = {}): ChildProcess {
  const command = [process.execPath, CAIRN, ...args];
  const argv =
    options.asUser === undefined
      ? command
      : ['setpriv', `--reuid=${options.asUser}`, `--regid=${options.asUser}`, '--clear-groups', ...command];
  return spawn(argv[0]!, argv.slice(1), { env: options.env ?? cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => (stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr }));
  });
}

/** A temp folder removed when the test ends. */
export async function scratchDir(t: TestContext, prefix: string): Promise<string> {
  const dir = await fsTree.makeTempDir(prefix);
  t.after(() => fsTree.removeDir(dir));
  return dir;
}

/** A fresh repository made with `cairn init`. */
export async function initRepository(path: string, env?: NodeJS.ProcessEnv): Promise<void> {
  const result = await runCli(['init', '--repo', path], env ? { env } : {});
  if (result.code !== 0) throw new Error(`cairn init failed: ${result.stderr}`);
}

/** Parses newline-delimited JSON output. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
