/**
 * Lets a producer start async work without awaiting each item, while bounding the total weight
 * (bytes) in flight. The first failure is rethrown to the producer at its next call.
 */
export class InflightWindow {
  private weight = 0;
  private failure: unknown;
  private readonly tasks = new Set<Promise<void>>();

  constructor(private readonly maxWeight: number) {}

  async add(weight: number, task: () => Promise<unknown>): Promise<void> {
    while (this.weight > 0 && this.weight + weight > this.maxWeight && this.tasks.size > 0) {
      await Promise.race(this.tasks);
    }
    this.throwIfFailed();
    this.weight += weight;
    const tracked: Promise<void> = task()
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      )
      .finally(() => {
        this.weight -= weight;
        this.tasks.delete(tracked);
      });
    this.tasks.add(tracked);
  }

  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.all(this.tasks);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
