/**
 * Failed logins per client address in a sliding window: after `limit` failures the address must
 * wait until the oldest failure leaves the window. Kept in memory: one gateway guards one door.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds the address must still wait, or 0 when it may try. */
  retryAfterMs(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    return recent.length >= this.limit ? recent[0]! + this.windowMs - now : 0;
  }

  fail(address: string, now = Date.now()): void {
    this.failures.set(address, [...this.recent(address, now), now]);
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string, now: number): number[] {
    return (this.failures.get(address) ?? []).filter((time) => now - time < this.windowMs);
  }
}
