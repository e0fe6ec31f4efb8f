import { countOf } from '@cairn/contracts';
import { Command, InvalidArgumentError } from 'commander';
import {
  openBackend,
  testBackend,
  type BackendTestStep,
  type RetryEvent,
  type StepTiming,
} from '@cairn/engine';
import { EXIT } from '../exit-codes.js';
import { formatBytes } from '../format.js';
import { backendOptions, withRemoteOptions, type RemoteFlags } from '../remote-options.js';

interface BackendTestFlags extends RemoteFlags {
  size: number;
  files: number;
}

export function backendTestCommand(): Command {
  return withRemoteOptions(new Command('backend-test'))
    .description('write, list, read back and delete test files at a destination, with latency and throughput')
    .argument(
      '<location>',
      'a folder, s3://, s3+http:// or sftp:// URL (an empty location: not a repository)',
    )
    .option('--size <MiB>', 'size of each test file', parseCount(0, 1024), 16)
    .option('--files <N>', 'number of test files', parseCount(1, 1000), 8)
    .action(async (location: string, flags: BackendTestFlags) => {
      const options = backendOptions(flags);
      const retries: RetryEvent[] = [];
      const backend = openBackend(location, {
        ...options,
        onRetry: (event) => {
          retries.push(event);
          options.onRetry?.(event);
        },
      });
      const connections = flags.connections ?? 4;
      const fileSize = Math.round(flags.size * 1024 * 1024);
      process.stdout.write(
        `testing ${backend.location}: ${countOf(flags.files, 'file')} of ${formatBytes(fileSize)}, ` +
          `${countOf(connections, 'connection')}\n`,
      );
      try {
        const result = await testBackend(backend, { fileSize, files: flags.files, connections });
        for (const [step, timing] of Object.entries(result.steps)) {
          process.stdout.write(`${describe(step as BackendTestStep, timing)}\n`);
        }
        process.stdout.write(`retries: ${retries.length}\n`);
        if (result.problems.length > 0) {
          for (const problem of result.problems) process.stderr.write(`error: ${problem}\n`);
          process.exitCode = EXIT.fatal;
          return;
        }
        process.stdout.write('OK: every file came back identical\n');
      } finally {
        await backend.close();
      }
    });
}

function describe(step: BackendTestStep, timing: StepTiming): string {
  const { min, median, max } = timing.latencyMs;
  const latency = `latency ${ms(median)} (min ${ms(min)}, max ${ms(max)})`;
  const rate = timing.bytes > 0 ? `  ${formatBytes(timing.bytes / timing.seconds)}/s` : '';
  const amount = timing.bytes > 0 ? `, ${formatBytes(timing.bytes)}` : '';
  return `${step.padEnd(12)} ${`${timing.operations} ops${amount}`.padEnd(22)} ${timing.seconds.toFixed(2).padStart(7)} s${rate}  ${latency}`;
}

function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

function parseCount(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max || (min >= 1 && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
    }
    return n;
  };
}
