export class QueueFull extends Error {}

/**
 * Admits at most `concurrent` tasks at once and `waiting` more in line; anything beyond is refused
 * at once (QueueFull) instead of piling up. Password checks are deliberately slow and memory-hungry
 * (argon2id, 64 MiB each): a flood of sign-ins must not take the CPU and memory the API needs.
 */
export class CheckQueue {
  private active = 0;
  private readonly line: (() => void)[] = [];

  constructor(
    private readonly concurrent: number,
    private readonly waiting: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrent) {
      if (this.line.length >= this.waiting) throw new QueueFull();
      await new Promise<void>((resolve) => this.line.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.line.shift();
      if (next) next();
      else this.active--;
    }
  }
}
