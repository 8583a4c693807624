/**
 * RedisAttemptLimiter on a real redis-server: the count is shared by every process (two
 * limiters stand for two processes' connections), the last allowed attempt goes to exactly one
 * of them, and with Redis away each process still limits on its own.
 */
import { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisAttemptLimiter } from '../../../sync-server/accounts/redis-attempt-limiter.ts';
import { redisOrSkip } from '../../support/redis-server.ts';

const redis = await redisOrSkip('redis-attempt-limiter');

if (redis) {
  const it = suite('RedisAttemptLimiter');
  it.after(() => redis.stop());
  const options = { name: 'test', limit: 5, windowMs: 60_000 };

  it('two processes share one count: 20 concurrent attempts, exactly 5 allowed; the wait and the key expire with the window', async () => {
    const a = new RedisAttemptLimiter({ ...options, url: redis.url });
    const b = new RedisAttemptLimiter({ ...options, url: redis.url });
    const admin = new Redis(redis.url);
    try {
      // Attempt n at now + n, in whatever order they reach Redis: a wait is up to a window plus 20 ms.
      const now = 1_000_000;
      const waits = await Promise.all(
        Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).take('203.0.113.7', now + n)),
      );
      assert.is(waits.filter((wait) => wait === 0).length, 5);
      const refused = waits.filter((wait) => wait > 0);
      assert.ok(
        refused.every((wait) => wait > 59_000 && wait <= 60_020),
        `waits ${refused.join(', ')}`,
      );
      assert.is(await a.take('198.51.100.1', now), 0, 'another address has its own count');
      assert.is(await b.take('203.0.113.7', now + 60_000 + 20), 0, 'allowed again after the window');
      const ttl = await admin.pttl('mixdesk:limit:test:203.0.113.7');
      assert.ok(ttl > 0 && ttl <= 60_000, `TTL ${ttl}`);
      assert.ok((await admin.zcard('mixdesk:limit:test:203.0.113.7')) <= 5, 'at most `limit` members');
    } finally {
      admin.disconnect();
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('with Redis away, the process still limits on its own and says so', async () => {
    const errors: string[] = [];
    const away = new RedisAttemptLimiter({
      ...options,
      url: 'redis://127.0.0.1:1', // nothing listens on port 1
      onError: (error) => errors.push(error.message),
    });
    try {
      const started = Date.now();
      const waits: number[] = [];
      for (let n = 0; n < 6; n++) waits.push(await away.take('203.0.113.9', 5_000 + n));
      assert.equal(
        waits.map((wait) => wait === 0),
        [true, true, true, true, true, false],
      );
      // Only the first attempt waits, for the first connection (1 s).
      assert.ok(Date.now() - started < 3000, 'no attempt waits long for Redis');
      assert.ok(errors.length >= 1 && errors.length <= 2, `reported ${errors.length} times`);
    } finally {
      await away.close();
    }
  });

  it.run();
}
