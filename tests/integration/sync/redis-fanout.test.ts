/**
 * RedisStreamFanout on a real redis-server: the Fanout contract with publisher and subscriber as
 * two instances (two processes' worth of connections), trimming, resuming after a dropped
 * connection, a Redis restart, and two real relay servers converging through it.
 */
import { rmSync } from 'node:fs';
import { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import type { FanoutMessage } from '../../../sync-server/relay/fanout.ts';
import { MemoryPersistence } from '../../../sync-server/relay/index.ts';
import { RedisStreamFanout, type RedisStreamFanoutOptions } from '../../../sync-server/relay/redis-stream-fanout.ts';
import { runFanoutTests } from '../../support/fanout-suite.ts';
import { redisOrSkip } from '../../support/redis-server.ts';
import {
  connectClient,
  destroyClients,
  stateOf,
  startTestRelay,
  tempDataDir,
  waitFor,
  waitSynced,
} from '../../support/relay-harness.ts';
import { spawnRelay } from '../../support/relay-process.ts';

const redis = await redisOrSkip('redis-fanout');

if (redis) {
  const open: RedisStreamFanout[] = [];
  async function fanout(options: Partial<RedisStreamFanoutOptions> = {}): Promise<RedisStreamFanout> {
    const made = new RedisStreamFanout({ url: redis!.url, onError: () => {}, ...options });
    open.push(made);
    await made.ready();
    return made;
  }
  async function closeAll(): Promise<void> {
    await Promise.all(open.splice(0).map((made) => made.close()));
  }
  const update = (n: number, origin = 'elsewhere:1'): FanoutMessage => ({
    kind: 'update',
    payload: new Uint8Array([n & 255, n >> 8, 0, 255]),
    origin,
  });

  runFanoutTests('RedisStreamFanout (two processes)', async () => {
    const [publisher, subscriber] = await Promise.all([fanout(), fanout()]);
    return { publisher, subscriber, teardown: closeAll };
  });

  const it = suite('RedisStreamFanout');
  it.after.each(closeAll);
  it.after(() => redis.stop());

  it('binary payloads arrive byte for byte; a process hears its own messages once (at once), not again from Redis', async () => {
    const [a, b] = await Promise.all([fanout(), fanout()]);
    const payload = new Uint8Array(100_000).map((_, i) => (i * 7919) % 256);
    const atA: FanoutMessage[] = [],
      atB: FanoutMessage[] = [];
    a.subscribe('bin', (m) => atA.push(m));
    b.subscribe('bin', (m) => atB.push(m));
    await new Promise((next) => setTimeout(next, 50));
    a.publish('bin', { kind: 'update', payload, origin: 'a:1' });
    assert.is(atA.length, 1, 'delivered locally before publish returns');
    a.publish('bin', update(2, 'a:2'));
    await waitFor('both messages at b', () => atB.length === 2);
    assert.equal(Buffer.compare(Buffer.from(atB[0]!.payload), Buffer.from(payload)), 0);
    assert.is(atB[0]!.origin, 'a:1');
    await new Promise((next) => setTimeout(next, 100));
    assert.is(atA.length, 2, 'no echo from the stream');
  });

  it('a document subscribed while the reader is blocked is read at once, not after the BLOCK timeout', async () => {
    const [a, b] = await Promise.all([fanout(), fanout({ blockMs: 10_000 })]);
    const first: FanoutMessage[] = [],
      second: FanoutMessage[] = [];
    b.subscribe('blocked-1', (m) => first.push(m));
    a.publish('blocked-1', update(1));
    await waitFor('the first document', () => first.length === 1);
    const started = Date.now();
    b.subscribe('blocked-2', (m) => second.push(m));
    a.publish('blocked-2', update(2));
    await waitFor('the second document', () => second.length === 1);
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  });

  it('a payload over the cap is not copied into Redis: the other process is told to repair (gap)', async () => {
    const gaps: string[] = [];
    const [a, b] = await Promise.all([fanout({ maxPayloadBytes: 1000 }), fanout({ onGap: (id) => gaps.push(id) })]);
    const atB: FanoutMessage[] = [];
    b.subscribe('big', (m) => atB.push(m));
    await new Promise((next) => setTimeout(next, 50));
    a.publish('big', { kind: 'update', payload: new Uint8Array(1001), origin: 'a:1' });
    a.publish('big', update(1));
    await waitFor('the small message', () => atB.length === 1);
    assert.equal(gaps, ['big']);
  });

  it('the stream is trimmed: 3000 updates leave at most a few hundred entries with MAXLEN ~ 100', async () => {
    const a = await fanout({ maxLen: 100, presenceMaxLen: 10 });
    for (let n = 0; n < 3000; n++) a.publish('trim', update(n));
    for (let n = 0; n < 300; n++) a.publish('trim', { ...update(n), kind: 'awareness' });
    const admin = new Redis(redis.url, { protocol: 2 });
    try {
      await waitFor('the publisher done', () => a.pendingCount() === 0);
      const length = await admin.xlen('mixdesk:doc:trim');
      assert.ok(length >= 100 && length <= 200, `XLEN ${length}`);
      const presence = await admin.xlen('mixdesk:presence:trim');
      assert.ok(presence <= 110, `presence XLEN ${presence}`);
      const ttl = await admin.pttl('mixdesk:presence:trim');
      assert.ok(ttl > 0 && ttl <= 60_000, `presence TTL ${ttl}`);
    } finally {
      admin.disconnect();
    }
  });

  it('a dropped connection resumes from the last id applied; entries trimmed meanwhile are reported as a gap', async () => {
    const admin = new Redis(redis.url, { protocol: 2 });
    // The subscriber signs in as its own user, so the test can keep it from reconnecting.
    await admin.acl('SETUSER', 'away', 'on', '>pw', '~*', '+@all');
    const gaps: string[] = [];
    const [a, b] = await Promise.all([
      fanout({ maxLen: 100 }),
      fanout({ url: `redis://away:pw@127.0.0.1:${redis.port}`, onGap: (id) => gaps.push(id) }),
    ]);
    const atB: number[] = [];
    b.subscribe('resume', (m) => atB.push(m.payload[0]! + 256 * m.payload[1]!));
    await new Promise((next) => setTimeout(next, 50));
    a.publish('resume', update(0));
    await waitFor('the first message', () => atB.length === 1);
    try {
      await killReader(admin, b);
      for (let n = 1; n <= 5; n++) a.publish('resume', update(n));
      await waitFor('five more, in order', () => atB.length === 6);
      assert.equal(atB, [0, 1, 2, 3, 4, 5]);
      assert.equal(gaps, []);
      await admin.acl('SETUSER', 'away', 'off');
      await killReader(admin, b);
      for (let n = 6; n < 2006; n++) a.publish('resume', update(n));
      await waitFor('the publisher done', () => a.pendingCount() === 0);
      await admin.acl('SETUSER', 'away', 'on');
      await waitFor('a gap', () => gaps.length > 0);
      assert.equal([...new Set(gaps)], ['resume']);
      await waitFor('the newest message', () => atB.at(-1) === 2005);
      assert.ok(atB.length < 2006, 'what was trimmed is gone');
    } finally {
      await admin.acl('DELUSER', 'away');
      admin.disconnect();
    }
  });

  it('after a Redis restart messages flow again, and the lost stream is reported as a gap', async () => {
    const gaps: string[] = [];
    const [a, b] = await Promise.all([fanout(), fanout({ onGap: (id) => gaps.push(id) })]);
    const atB: number[] = [];
    b.subscribe('restart', (m) => atB.push(m.payload[0]!));
    await new Promise((next) => setTimeout(next, 50));
    a.publish('restart', update(1));
    await waitFor('before the restart', () => atB.length === 1);
    await redis.restart();
    a.publish('restart', update(2));
    await waitFor('the message after the restart', () => atB.includes(2), 10_000);
    assert.equal(gaps, ['restart']);
    a.publish('restart', update(3));
    await waitFor('and the next', () => atB.at(-1) === 3);
  });

  it('the server logs a gap when Redis restarts under a loaded document (the repair from the store hooks in there)', async () => {
    const relay = await startTestRelay({ redisUrl: redis.url, accounts: false });
    const client = connectClient(relay.syncBase, 'gap-doc');
    try {
      await waitSynced(client);
      client.doc.getArray<string>('strips').push(['before the restart']);
      const admin = new Redis(redis.url, { protocol: 2 });
      try {
        for (let tries = 0; (await admin.xlen('mixdesk:doc:gap-doc')) < 1; tries++) {
          if (tries > 200) throw new Error('the update never reached the stream');
          await new Promise((next) => setTimeout(next, 20));
        }
      } finally {
        admin.disconnect();
      }
      // The relay's own entry: it skips it, but its read position is now that entry.
      await new Promise((next) => setTimeout(next, 100));
      await redis.restart();
      await waitFor(
        'the gap logged',
        () => relay.logs.some((record) => record.docId === 'gap-doc' && /fan-out gap/.test(record.reason ?? '')),
        10_000,
      );
    } finally {
      destroyClients([client]);
      await relay.close();
    }
  });

  // Regression: the relay subscribed only after loading the document from its store, so an
  // update another process accepted meanwhile was neither in the load nor in the fan-out.
  it('an update another process publishes while this one loads the document from its store is not missed', async () => {
    let loading = false;
    const persistence = new MemoryPersistence();
    const load = persistence.load.bind(persistence);
    persistence.load = async (docId) => {
      loading = true;
      await new Promise((next) => setTimeout(next, 300));
      return load(docId);
    };
    const relay = await startTestRelay({ redisUrl: redis.url, accounts: false, persistence });
    const other = await fanout();
    const client = connectClient(relay.syncBase, 'window-doc');
    try {
      await waitFor('the load to start', () => loading);
      await new Promise((next) => setTimeout(next, 100)); // the subscription reached Redis
      const elsewhere = new Y.Doc();
      elsewhere.getArray<string>('strips').push(['from another process']);
      other.publish('window-doc', { kind: 'update', payload: Y.encodeStateAsUpdate(elsewhere), origin: 'other:1' });
      await waitSynced(client);
      await waitFor("the other process's update", () => client.doc.getArray('strips').length === 1);
    } finally {
      destroyClients([client]);
      await relay.close();
    }
  });

  it('two relay processes on one Redis, each with its own store: a real client on each converges, presence too', async () => {
    const dirs = [tempDataDir(), tempDataDir()];
    const relays = await Promise.all(
      dirs.map((dir) => spawnRelay(dir, 0, { MIXDESK_REDIS_URL: redis.url, RELAY_LOG: 'silent' })),
    );
    const clients = relays.map((relay) => connectClient(`ws://127.0.0.1:${relay.port}/sync`, 'shared-doc'));
    try {
      await Promise.all(clients.map((client) => waitSynced(client, 10_000)));
      clients[0]!.doc.getArray<string>('strips').push(['from one']);
      clients[1]!.doc.getArray<string>('strips').push(['from two']);
      await waitFor('both edits on both clients', () =>
        clients.every((client) => client.doc.getArray('strips').length === 2),
      );
      assert.is(stateOf(clients[0]!.doc), stateOf(clients[1]!.doc));
      const text = clients[1]!.doc.getText('notes');
      clients[1]!.doc.transact(() => text.insert(0, 'x'.repeat(10_000)));
      await waitFor('a larger edit', () => clients[0]!.doc.getText('notes').length === 10_000);
      clients[0]!.provider.awareness.setLocalStateField('user', { name: 'one' });
      const seen = () =>
        [...clients[1]!.provider.awareness.getStates().values()].some(
          (state) => (state as { user?: { name?: string } }).user?.name === 'one',
        );
      await waitFor('presence across processes', seen);
      assert.equal(clients[1]!.doc.getArray('strips').toArray().sort(), ['from one', 'from two']);
    } finally {
      destroyClients(clients);
      for (const relay of relays) relay.child.kill('SIGTERM');
      await Promise.all(relays.map((relay) => relay.exited));
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it.run();

  /** Closes the fan-out's blocking connection from the server side (as a network drop would). */
  async function killReader(admin: Redis, target: RedisStreamFanout): Promise<void> {
    await admin.client('KILL', 'ID', await readerId(admin, target));
  }

  async function readerId(admin: Redis, target: RedisStreamFanout): Promise<string> {
    for (let tries = 0; tries < 100; tries++) {
      const list = (await admin.client('LIST')) as string;
      const line = list.split('\n').find((row) => row.includes(`name=mixdesk-fanout-reader:${target.processId} `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      if (id) return id;
      await new Promise((next) => setTimeout(next, 20));
    }
    throw new Error('the fan-out has no reader connection');
  }
}
