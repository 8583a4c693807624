/**
 * RedisStreamFanout catching up with a backlog, on a real redis-server (issue 16, the
 * cross-process latency of bench:sync): a process that fell behind the other processes must
 * still serve its own clients while it catches up, and the other processes' updates must all
 * arrive, in order.
 */
import { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisStreamFanout } from '../../../sync-server/relay/redis-stream-fanout.ts';
import { redisOrSkip } from '../../support/redis-server.ts';
import { waitFor } from '../../support/relay-harness.ts';

const redis = await redisOrSkip('redis-fanout-backlog');

if (redis) {
  const it = suite('RedisStreamFanout backlog');
  it.after(() => redis.stop());

  /** Busy-waits: what a relay does per update read (apply it to the document, send it to its clients). */
  function work(ms: number): void {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // spin
    }
  }

  // Regression: one XREAD reply can hold thousands of entries (COUNT is per stream), and they
  // were all handed to the listeners in one go: at 500 clients over 3 processes the reader
  // held the event loop for 0.3-3 s, during which the process's own clients, its commits and
  // its XADD replies waited, so the next reply was larger still (p50 0.5-5 s in bench:sync).
  it('a backlog of 6000 updates over 100 documents is applied without holding the event loop (own clients keep being served)', async () => {
    const admin = new Redis(redis.url, { protocol: 2 });
    // b signs in as its own user, so the test can keep it away while the backlog builds up.
    await admin.acl('SETUSER', 'behind', 'on', '>pw', '~*', '+@all');
    const a = new RedisStreamFanout({ url: redis.url, onError: () => {} });
    const b = new RedisStreamFanout({ url: `redis://behind:pw@127.0.0.1:${redis.port}`, onError: () => {} });
    try {
      await Promise.all([a.ready(), b.ready()]);
      const docs = 100,
        rounds = 60,
        perUpdateMs = 0.2;
      const received = new Map<string, number[]>();
      for (let d = 0; d < docs; d++) {
        const seen: number[] = [];
        received.set(`busy-${d}`, seen);
        b.subscribe(`busy-${d}`, (message) => {
          work(perUpdateMs);
          seen.push(message.payload[0]! + 256 * message.payload[1]!);
        });
      }
      // Every document's start resolved and read: one message each arrives.
      await waitFor(
        'b reading every document',
        () => {
          for (let d = 0; d < docs; d++) {
            if (received.get(`busy-${d}`)!.length === 0)
              a.publish(`busy-${d}`, { kind: 'update', payload: new Uint8Array([0, 0]), origin: 'a:1' });
          }
          return [...received.values()].every((seen) => seen.length > 0);
        },
        10_000,
      );

      // The backlog: published while b's reader is disconnected, as by a stall.
      await admin.acl('SETUSER', 'behind', 'off');
      await admin.client('KILL', 'USER', 'behind');
      for (let n = 1; n <= rounds; n++) {
        for (let d = 0; d < docs; d++) {
          a.publish(`busy-${d}`, { kind: 'update', payload: new Uint8Array([n & 255, n >> 8]), origin: 'a:1' });
        }
      }
      await waitFor('the backlog in Redis', () => a.pendingCount() === 0, 10_000);
      let last = performance.now(),
        longestHold = 0;
      const monitor = setInterval(() => {
        const now = performance.now();
        longestHold = Math.max(longestHold, now - last);
        last = now;
      }, 2);
      try {
        await admin.acl('SETUSER', 'behind', 'on');
        await waitFor('the backlog at b', () => [...received.values()].every((seen) => seen.at(-1) === rounds), 20_000);
      } finally {
        clearInterval(monitor);
      }
      // Before the fix one reply of 6000 entries at 0.2 ms each held the loop for 1.2 s or more.
      assert.ok(longestHold < 300, `the event loop was held for ${longestHold.toFixed(0)} ms at once`);
      const inOrder = Array.from({ length: rounds }, (_, i) => i + 1);
      for (const [docId, seen] of received) {
        assert.equal(
          seen.filter((n) => n !== 0),
          inOrder,
          `${docId}: every update, in order`,
        );
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
      await admin.acl('DELUSER', 'behind');
      admin.disconnect();
    }
  });

  it.run();
}
