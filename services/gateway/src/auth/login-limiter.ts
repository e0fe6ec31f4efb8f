/** Beyond this many tracked addresses, stale ones are forgotten before a new one is added. */
const TRACKED_ADDRESSES = 10_000;

/**
 * Sign-in attempts per client address in a sliding window. An attempt takes its slot when it
 * starts, before the password is checked, so parallel guesses count as much as serial ones; a
 * successful sign-in clears the address. Kept in memory: one gateway guards one door.
 */
export class LoginLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Takes a slot for an attempt from `address`: 0 when taken, else the milliseconds to wait. */
  reserve(address: string, now = Date.now()): number {
    const recent = this.recent(address, now);
    if (recent.length >= this.limit) return recent[0]! + this.windowMs - now;
    if (!this.attempts.has(address) && this.attempts.size >= TRACKED_ADDRESSES) this.forgetStale(now);
    this.attempts.set(address, [...recent, now]);
    return 0;
  }

  /** Gives back the slot of an attempt whose password was never checked. */
  release(address: string): void {
    const times = this.attempts.get(address);
    times?.pop();
    if (times?.length === 0) this.attempts.delete(address);
  }

  succeed(address: string): void {
    this.attempts.delete(address);
  }

  private recent(address: string, now: number): number[] {
    return (this.attempts.get(address) ?? []).filter((time) => now - time < this.windowMs);
  }

  private forgetStale(now: number): void {
    for (const address of this.attempts.keys())
      if (this.recent(address, now).length === 0) this.attempts.delete(address);
  }
}
