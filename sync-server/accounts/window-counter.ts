/**
 * WindowCounter: in-memory "at most N events per key per window" (per-IP limits). Keeps the
 * event times per key, and at most `maxKeys` keys: when full, the key least recently used is
 * dropped, so a flood of addresses costs bounded memory.
 */
export class WindowCounter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Records an event for `key` at `now` unless the limit is reached; returns whether it was allowed. */
  take(key: string, now: number): boolean {
    const recent = (this.events.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.events.delete(key);
    const allowed = recent.length < this.limit;
    if (allowed) recent.push(now);
    this.events.set(key, recent);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value as string);
    return allowed;
  }

  /** Milliseconds until `key` may act again (0 when it may now). */
  retryAfter(key: string, now: number): number {
    const recent = (this.events.get(key) ?? []).filter((t) => t > now - this.windowMs);
    return recent.length < this.limit ? 0 : (recent[0] ?? now) + this.windowMs - now;
  }
}
