import type { RunProgress } from '@cairn/contracts';

type Counts = Pick<RunProgress, 'filesDone' | 'filesTotal' | 'bytesDone' | 'bytesTotal' | 'currentPath'>;

const STARTING = 'starting';
const NONE: Counts = { filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, currentPath: '' };

/**
 * Publishes a run's progress at a steady pace, whatever the engine's own cadence (per file, per
 * pack, or silence while it waits for a lock): the engine's callbacks only update the state.
 */
export class ProgressReporter {
  private phase = STARTING;
  private counts: Counts = NONE;
  private readonly started = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly runId: string,
    private readonly publish: (progress: RunProgress) => void,
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
  }

  /**
   * A new phase starts its counts from zero; the one before it is published first with its last
   * counts, so its final figures (every file done) are the ones that stay on screen.
   */
  update(phase: string, counts: Partial<Counts> = {}): void {
    if (phase !== this.phase && this.phase !== STARTING) this.flush();
    this.counts = { ...(phase === this.phase ? this.counts : NONE), ...counts };
    this.phase = phase;
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private flush(): void {
    this.publish({
      runId: this.runId,
      phase: this.phase,
      ...this.counts,
      elapsedMs: Date.now() - this.started,
    });
  }
}
