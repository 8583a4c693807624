import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { connectClient, destroyClients, startTestRelay, waitFor, waitSynced, type TestClient } from '../../support/relay-harness.ts';

/** mulberry32: small seeded generator so a failing run can be replayed with FUZZ_SEED. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validMessages(): Uint8Array[] {
  const doc = new Y.Doc();
  doc.getArray<string>('strips').push(['x', 'y']);
  doc.getMap('keys').set('k', 'v');
  const frames: Uint8Array[] = [];
  const frame = (write: (e: encoding.Encoder) => void) => { const e = encoding.createEncoder(); write(e); frames.push(encoding.toUint8Array(e)); };
  frame((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeSyncStep1(e, doc); });
  frame((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeSyncStep2(e, doc); });
  frame((e) => { encoding.writeVarUint(e, 0); syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc)); });
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState({ user: { name: 'fuzz' } });
  frame((e) => { encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID])); });
  awareness.destroy();
  return frames;
}

/** One malformed frame: random bytes, a truncated valid frame, a corrupted valid frame, or a lying length. */
function malformedFrame(random: () => number, valid: Uint8Array[]): Uint8Array | string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const base = pick(valid);
  switch (Math.floor(random() * 6)) {
    case 0: return Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
    case 1: return base.slice(0, 1 + Math.floor(random() * (base.length - 1)));
    case 2: {
      const copy = base.slice();
      for (let i = 0; i < 1 + random() * 4; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      return copy;
    }
    case 3: return Uint8Array.from([0, Math.floor(random() * 3), 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]);
    case 4: return Uint8Array.from([4 + Math.floor(random() * 250)]);
    default: return random() < 0.5 ? 'not binary' : new Uint8Array(0);
  }
}

function openRaw(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

async function stillServes(a: TestClient, b: TestClient, marker: string): Promise<void> {
  a.doc.getMap<string>('markers').set(marker, marker);
  await waitFor(`well-behaved client receives '${marker}'`, () => b.doc.getMap('markers').get(marker) === marker, 5000);
}

test('seeded fuzzing with malformed and truncated frames closes only the offending connections', async () => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const random = seededRandom(seed);
  console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'fuzz-doc');
  const b = connectClient(relay.syncBase, 'fuzz-doc');
  const valid = validMessages();
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 20 }, async () => {
        const ws = await openRaw(`${relay.syncBase}/${random() < 0.7 ? 'fuzz-doc' : 'other-doc'}`);
        ws.on('error', () => {});
        const closed = new Promise<void>((done) => ws.once('close', () => done()));
        for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
          const frame = malformedFrame(random, valid);
          ws.send(frame, { binary: typeof frame !== 'string' });
        }
        await Promise.race([closed, new Promise((next) => setTimeout(next, 100))]);
        ws.terminate();
      }));
      await stillServes(a, b, `batch-${batch}`);
    }
    assert.ok(relay.logs.some((r) => r.event === 'error' && r.code === 1007), 'malformed frames were logged with close code 1007');
    assert.ok(relay.running.relay.connectionCount() >= 2);
  } catch (error) {
    console.error(`failed with fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);
    throw error;
  } finally {
    destroyClients([a, b]);
    await relay.close();
  }
});

test('a truncated update closes that connection with 1007 and a logged reason', async () => {
  const relay = await startTestRelay();
  try {
    const ws = await openRaw(`${relay.syncBase}/trunc`);
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.send(Uint8Array.from([0, 2, 50, 1, 2, 3]));
    assert.is(await closed, 1007);
    const record = relay.logs.find((r) => r.event === 'error' && r.code === 1007);
    assert.ok(record?.reason?.includes('malformed'), JSON.stringify(record));
  } finally {
    await relay.close();
  }
});

test('a frame over 16 MB closes that connection with 1009 and the document stays usable', async () => {
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'big');
  const b = connectClient(relay.syncBase, 'big');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const ws = await openRaw(`${relay.syncBase}/big`);
    ws.on('error', () => {});
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    ws.send(new Uint8Array(16 * 1024 * 1024 + 1));
    assert.is(await closed, 1009);
    await stillServes(a, b, 'after-big');
  } finally {
    destroyClients([a, b]);
    await relay.close();
  }
});

test('a connection over its rate limit is closed with 1008 while others keep syncing', async () => {
  const relay = await startTestRelay({ relay: { rateLimit: { messagesPerSecond: 20, messageBurst: 40 } } });
  const a = connectClient(relay.syncBase, 'flood');
  const b = connectClient(relay.syncBase, 'flood');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const ws = await openRaw(`${relay.syncBase}/flood`);
    const closed = new Promise<number>((done) => ws.once('close', (code) => done(code)));
    for (let i = 0; i < 100; i++) ws.send(Uint8Array.from([3]));
    assert.is(await closed, 1008);
    assert.ok(relay.logs.some((r) => r.event === 'error' && r.reason === 'rate limit exceeded'));
    await stillServes(a, b, 'after-flood');
  } finally {
    destroyClients([a, b]);
    await relay.close();
  }
});

test.run();
