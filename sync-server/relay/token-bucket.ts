/**
 * Token bucket for the per-connection rate limit: `capacity` tokens, refilled at
 * `refillPerSecond`; `take(n)` is false when the connection went over its budget.
 * Time is passed in (milliseconds) so the bucket stays deterministic in tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.last = now;
  }

  take(amount: number, now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }
}
