/**
 * RedisAttemptLimiter: the AttemptLimiter of a scaled-out deployment (MIXDESK_REDIS_URL), so a
 * per-IP limit holds across every process. One sorted set per key (`mixdesk:limit:<name>:<key>`,
 * attempts scored by their time), checked and added to by one Lua script, so two processes
 * cannot both take the last allowed attempt. The set expires one window after its last
 * attempt and never holds more than `limit` members: bounded memory per key, and keys of a
 * flood of addresses go away by themselves.
 *
 * Redis away: the attempt is counted by a MemoryAttemptLimiter of this process instead (the
 * limit then holds per process, as before issue 16, rather than refusing every sign-in or
 * letting all through), and `onError` hears why. Commands fail at once while disconnected
 * (no offline queue) and time out after COMMAND_TIMEOUT_MS, so a sign-in never waits long;
 * only the first attempts of a process wait (as long) for its first connection, so that two
 * processes just started do not each count on their own.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MemoryAttemptLimiter, type AttemptLimiter } from './attempt-limiter.ts';

const COMMAND_TIMEOUT_MS = 1000;
/** While Redis is away its connection errors repeat with every retry: one report per interval. */
const ERROR_REPORT_INTERVAL_MS = 10_000;
/** Longer keys (an address from a proxy header is the caller's text) are hashed. */
const MAX_PLAIN_KEY = 64;

/** KEYS[1] the set; ARGV: now, window ms, limit, a unique member. 0 = allowed, else ms to wait. */
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export interface RedisAttemptLimiterOptions {
  url: string;
  /** Names the limit in Redis keys (`pin-verify`). */
  name: string;
  limit: number;
  windowMs: number;
  onError?: (error: Error) => void;
}

export class RedisAttemptLimiter implements AttemptLimiter {
  /** ioredis is loaded with the first limiter: a server without Redis (the default) never loads it. */
  private readonly client: Promise<Redis>;
  private readonly fallback: MemoryAttemptLimiter;
  private lastReportAt = -Infinity;
  /** Settles at the first connection, or after COMMAND_TIMEOUT_MS without one. */
  private readonly firstConnection: Promise<void>;

  constructor(private readonly options: RedisAttemptLimiterOptions) {
    this.fallback = new MemoryAttemptLimiter(options.limit, options.windowMs);
    this.client = import('ioredis').then(({ Redis }) => {
      const redis = new Redis(options.url, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: COMMAND_TIMEOUT_MS,
        retryStrategy: (times) => Math.min(50 * times, 1000),
        connectionName: 'mixdesk-limits',
      });
      redis.on('error', (error: Error) => this.report(error));
      return redis;
    });
    this.firstConnection = this.client.then(
      (redis) =>
        new Promise<void>((settle) => {
          redis.once('ready', () => settle());
          setTimeout(settle, COMMAND_TIMEOUT_MS).unref();
        }),
      () => {}, // take() meets the same failure and counts in this process
    );
  }

  async take(key: string, now: number): Promise<number> {
    const { name, windowMs, limit } = this.options;
    const stored = key.length <= MAX_PLAIN_KEY ? key : createHash('sha256').update(key).digest('hex');
    await this.firstConnection;
    try {
      const wait = await (
        await this.client
      ).eval(TAKE_SCRIPT, 1, `mixdesk:limit:${name}:${stored}`, now, windowMs, limit, `${now}:${randomUUID()}`);
      return Number(wait);
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
      return this.fallback.take(key, now);
    }
  }

  private report(error: Error): void {
    const at = Date.now();
    if (at - this.lastReportAt < ERROR_REPORT_INTERVAL_MS) return;
    this.lastReportAt = at;
    this.options.onError?.(new Error(`sign-in limits on Redis (counting in this process meanwhile): ${error.message}`));
  }

  async close(): Promise<void> {
    const redis = await this.client;
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  }
}
