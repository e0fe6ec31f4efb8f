import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CairnError } from '../errors.js';
import type { ChunkMessage, Job, WorkerInit, WorkerMessage } from './protocol.js';

/**
 * Bytes of work queued per worker. Small files queue several deep, so a worker never waits for the
 * main thread between them; a big file waits until a worker is nearly free, so that no worker holds
 * several big files while another runs dry.
 */
const QUEUED_BYTES_PER_WORKER = 4 * 1024 * 1024;
/**
 * A worker's young generation, in MiB. V8 grows it to 16 MiB semi-spaces and more; a worker's short-lived
 * objects are few, but each it keeps alive a little longer holds a chunk's or a pack's buffer, which a
 * small young generation frees at the next scavenge: a first backup of 54 000 real files peaked
 * at 596 MiB without the cap, 435 MiB with it.
 */
const YOUNG_GENERATION_MIB = 6;
/** Counted on top of each job's bytes: a job has a fixed cost however small its file. */
const JOB_OVERHEAD_BYTES = 64 * 1024;

interface PendingJob {
  cost: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onChunk?: (message: ChunkMessage) => void;
  worker: Worker;
}

/** Error from a worker job; `code` is the errno code when the file system refused. */
export class WorkerJobError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Worker threads for the CPU-heavy work: chunking, hashing, compression, encryption, verification. */
export class WorkerPool {
  private workers: Worker[] = [];
  private readonly load = new Map<Worker, number>();
  private readonly jobs = new Map<number, PendingJob>();
  private readonly waiting: (() => void)[] = [];
  private nextJobId = 1;
  private failure?: Error;

  /** Workers start with the first job: a backup with nothing new to read never pays for them. */
  constructor(
    private readonly init: WorkerInit,
    private readonly size = Math.max(1, availableParallelism()),
  ) {}

  private start(): void {
    const init = this.init;
    this.workers = Array.from({ length: this.size }, () => {
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MIB },
      });
      worker.on('message', (message: WorkerMessage) => this.receive(message));
      worker.on('error', (error) => this.crash(worker, error));
      worker.on('exit', (code) => {
        if (code !== 0) this.crash(worker, new Error(`worker exited with code ${code}`));
      });
      this.load.set(worker, 0);
      return worker;
    });
  }

  /** Runs a job on the least busy worker; `bytes` is how much data it handles (its cost). */
  async run<R>(
    job: Job,
    bytes: number,
    transfer: ArrayBuffer[] = [],
    onChunk?: (message: ChunkMessage) => void,
  ): Promise<R> {
    const cost = bytes + JOB_OVERHEAD_BYTES;
    const worker = await this.reserveWorker(cost);
    const jobId = this.nextJobId++;
    const result = new Promise<unknown>((resolve, reject) => {
      this.jobs.set(jobId, { cost, resolve, reject, worker, ...(onChunk ? { onChunk } : {}) });
    });
    worker.postMessage({ ...job, jobId }, transfer);
    return (await result) as R;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Picks a worker and books the cost on it before yielding, so concurrent callers see each other. */
  private async reserveWorker(cost: number): Promise<Worker> {
    if (this.workers.length === 0) this.start();
    while (true) {
      if (this.failure) throw this.failure;
      let best: Worker | undefined;
      for (const worker of this.workers)
        if (!best || this.load.get(worker)! < this.load.get(best)!) best = worker;
      const load = this.load.get(best!)!;
      if (load === 0 || load + cost <= QUEUED_BYTES_PER_WORKER) {
        this.load.set(best!, load + cost);
        return best!;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private receive(message: WorkerMessage): void {
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    if (message.kind === 'chunk') {
      job.onChunk?.(message);
      return;
    }
    this.jobs.delete(message.jobId);
    this.load.set(job.worker, this.load.get(job.worker)! - job.cost);
    // Every waiter re-checks: the freed room may fit several small jobs, or one waiter's big one.
    for (const wake of this.waiting.splice(0)) wake();
    if (message.kind === 'done') job.resolve(message.result);
    else if (message.error.kind) job.reject(new CairnError(message.error.kind, message.error.message));
    else job.reject(new WorkerJobError(message.error.message, message.error.code));
  }

  private crash(worker: Worker, error: Error): void {
    this.failure ??= new Error(`a worker thread failed: ${error.message}`);
    for (const [jobId, job] of this.jobs) {
      if (job.worker !== worker) continue;
      this.jobs.delete(jobId);
      job.reject(this.failure);
    }
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** The ArrayBuffer of `bytes` when it can be handed over whole; otherwise a copy that can. */
export function transferable(bytes: Buffer): { view: Uint8Array; transfer: ArrayBuffer[] } {
  const whole =
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer;
  const view = whole ? bytes : new Uint8Array(bytes);
  return { view, transfer: [view.buffer as ArrayBuffer] };
}
