/** The wait before attempt `next` (2, 3, …): base, 2×base, 4×base…, capped at a minute. */
export function backoffMs(next: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (next - 2), 60_000);
}
