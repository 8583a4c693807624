/**
 * AttemptLimiter: "at most N attempts per key per window", for limits that must hold for the
 * whole deployment, not per process (issue 16: the per-IP PIN-verify limit of three processes
 * behind a load balancer was three times the limit). `MemoryAttemptLimiter` serves one process;
 * `RedisAttemptLimiter` (redis-attempt-limiter.ts) counts in the deployment's Redis.
 *
 * A future implementation must: count an attempt only when it is allowed (refused attempts do
 * not extend the wait), keep the key's memory bounded by the limit, and answer without waiting
 * long for a store that is away (a sign-in must not hang on it).
 */
import { WindowCounter } from './window-counter.ts';

export interface AttemptLimiter {
  /**
   * Records an attempt for `key` at `now` (ms) unless the limit is reached. Resolves with 0 when
   * it was allowed, else with the milliseconds until the next attempt may go.
   */
  take(key: string, now: number): Promise<number>;
  close(): Promise<void>;
}

/** The limit within one process (WindowCounter: bounded keys, least recently used dropped). */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly counter: WindowCounter;

  constructor(limit: number, windowMs: number, maxKeys?: number) {
    this.counter = new WindowCounter(limit, windowMs, maxKeys);
  }

  take(key: string, now: number): Promise<number> {
    return Promise.resolve(this.counter.take(key, now) ? 0 : Math.max(1, this.counter.retryAfter(key, now)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
