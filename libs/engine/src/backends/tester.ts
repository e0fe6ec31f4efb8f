import { createHash, randomBytes } from 'node:crypto';
import { CairnError, isCairnError } from '../errors.js';
import { configExists } from '../repository/config.js';
import { mapLimit } from '../util/limiter.js';
import type { Backend } from './backend.js';

export interface BackendTestOptions {
  /** Bytes per test file. */
  fileSize: number;
  files: number;
  /** Transfers in flight at once. */
  connections: number;
  onStep?: (step: BackendTestStep) => void;
}

export type BackendTestStep = 'round trip' | 'write' | 'list' | 'read' | 'ranged read' | 'remove';

export interface StepTiming {
  operations: number;
  bytes: number;
  seconds: number;
  latencyMs: { min: number; median: number; max: number };
}

export interface BackendTestResult {
  steps: Record<BackendTestStep, StepTiming>;
  /** Everything that did not come back as written; empty when the destination works. */
  problems: string[];
}

const RANGE_BYTES = 64 * 1024;

/**
 * Writes, lists, reads back (whole and in ranges) and deletes test files, timing each operation, so a
 * user can see whether a destination works and how fast before trusting it with backups. Test files
 * are pack-shaped (named by their SHA-256, fanned out under data/) so they take the same paths as
 * real packs; they are removed even when a step fails.
 */
export async function testBackend(backend: Backend, options: BackendTestOptions): Promise<BackendTestResult> {
  if (await configExists(backend)) {
    throw new CairnError(
      'usage',
      `${backend.location} holds a repository: point backend-test at an empty location (another prefix or folder)`,
    );
  }
  const files = Array.from({ length: options.files }, () => {
    const bytes = randomBytes(options.fileSize);
    return { name: createHash('sha256').update(bytes).digest('hex'), bytes };
  });
  const problems: string[] = [];
  const steps = {} as Record<BackendTestStep, StepTiming>;
  const step = async <T>(
    name: BackendTestStep,
    items: T[],
    bytesOf: (item: T) => number,
    work: (item: T) => Promise<void>,
  ) => {
    options.onStep?.(name);
    // One request at a time for the round trip: its latency, not the server's parallelism.
    steps[name] = await timed(items, name === 'round trip' ? 1 : options.connections, bytesOf, work);
  };
  try {
    await backend.create();
    await step(
      'round trip',
      [1, 2, 3, 4, 5],
      () => 0,
      async () => {
        try {
          await backend.stat('pack', randomBytes(32).toString('hex'));
          problems.push('stat of a file that does not exist succeeded');
        } catch (error) {
          if (!isCairnError(error, 'not-found')) throw error;
        }
      },
    );
    await step(
      'write',
      files,
      (file) => file.bytes.length,
      (file) => backend.save('pack', file.name, file.bytes),
    );
    await step(
      'list',
      [0],
      () => 0,
      async () => {
        const listed = new Map((await backend.list('pack')).map((info) => [info.name, info.size]));
        for (const file of files) {
          const size = listed.get(file.name);
          if (size === undefined) problems.push(`${file.name.slice(0, 12)}… is missing from the listing`);
          else if (size !== file.bytes.length)
            problems.push(`${file.name.slice(0, 12)}… is listed with ${size} bytes`);
        }
      },
    );
    await step(
      'read',
      files,
      (file) => file.bytes.length,
      async (file) => {
        const back = await backend.load('pack', file.name);
        if (!back.equals(file.bytes)) problems.push(`${file.name.slice(0, 12)}… came back different`);
      },
    );
    await step(
      'ranged read',
      files,
      (file) => Math.min(RANGE_BYTES, file.bytes.length),
      async (file) => {
        const length = Math.min(RANGE_BYTES, file.bytes.length);
        const offset = Math.floor(Math.random() * (file.bytes.length - length + 1));
        const back = await backend.load('pack', file.name, { offset, length });
        if (!back.equals(file.bytes.subarray(offset, offset + length))) {
          problems.push(`${file.name.slice(0, 12)}…: bytes ${offset}–${offset + length} came back different`);
        }
      },
    );
    await step(
      'remove',
      files,
      () => 0,
      (file) => backend.remove('pack', file.name),
    );
    const left = new Set((await backend.list('pack')).map((info) => info.name));
    for (const file of files)
      if (left.has(file.name)) problems.push(`${file.name.slice(0, 12)}… is still listed after removal`);
  } finally {
    await Promise.allSettled(files.map((file) => backend.remove('pack', file.name)));
    await backend.removeEmptyLayout?.();
  }
  return { steps, problems };
}

async function timed<T>(
  items: T[],
  connections: number,
  bytesOf: (item: T) => number,
  work: (item: T) => Promise<void>,
): Promise<StepTiming> {
  const started = performance.now();
  const latencies = await mapLimit(items, connections, async (item) => {
    const start = performance.now();
    await work(item);
    return performance.now() - start;
  });
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    operations: items.length,
    bytes: items.reduce((sum, item) => sum + bytesOf(item), 0),
    seconds,
    latencyMs: {
      min: latencies[0] ?? 0,
      median: latencies[Math.floor(latencies.length / 2)] ?? 0,
      max: latencies[latencies.length - 1] ?? 0,
    },
  };
}
