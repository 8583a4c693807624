import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { malformedFrame, validMessages } from '../../support/hostile-client.ts';
import { seededRandom } from '../../support/signals.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';

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
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const ws = await openRaw(`${relay.syncBase}/${random() < 0.7 ? 'fuzz-doc' : 'other-doc'}`);
          ws.on('error', () => {});
          const closed = new Promise<void>((done) => ws.once('close', () => done()));
          for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
            const frame = malformedFrame(random, valid);
            ws.send(frame, { binary: typeof frame !== 'string' });
          }
          await Promise.race([closed, new Promise((next) => setTimeout(next, 100))]);
          ws.terminate();
        }),
      );
      await stillServes(a, b, `batch-${batch}`);
    }
    assert.ok(
      relay.logs.some((r) => r.event === 'error' && r.code === 1007),
      'malformed frames were logged with close code 1007',
    );
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
