import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
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

// Regression: after refusing an oversized frame the relay read and threw away everything the
// client went on sending (16 MB per attack frame), which was the honest clients' p99 under
// bench:hostile's oversized attack. Now it stops reading that socket at once.
test('after refusing an oversized frame the relay stops reading what the client still sends', async () => {
  const relay = await startTestRelay();
  // A plain TCP client that keeps sending after the relay's close frame and FIN, as an attacker
  // would (a ws client ends its side once it reads the close).
  const socket = connect({ port: relay.running.port, host: '127.0.0.1', allowHalfOpen: true });
  socket.on('error', () => {});
  try {
    await new Promise((open) => socket.once('connect', open));
    socket.write(
      `GET /sync/big-stream HTTP/1.1\r\nHost: 127.0.0.1:${relay.running.port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    await new Promise<void>((upgraded, refused) =>
      socket.once('data', (reply: Buffer) =>
        reply.toString().startsWith('HTTP/1.1 101') ? upgraded() : refused(new Error(reply.toString())),
      ),
    );
    // A masked binary frame header announcing 64 MiB, then the payload in 1 MiB writes: the
    // relay refuses the frame from its header, so everything after it is unwanted.
    const announced = 64 * 1024 * 1024;
    const header = Buffer.alloc(14);
    header[0] = 0x82;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(announced), 2);
    socket.write(header);
    let accepted = 0;
    const chunk = Buffer.alloc(1024 * 1024);
    const until = Date.now() + 3000;
    while (accepted < announced && Date.now() < until && !socket.destroyed) {
      const written = await new Promise<boolean>((done) => {
        const timer = setTimeout(() => done(false), until - Date.now());
        socket.write(chunk, (error) => {
          clearTimeout(timer);
          done(!error);
        });
      });
      if (!written) break;
      accepted += chunk.length;
    }
    // The kernel's socket buffers take a few MB whatever the relay does; before the fix all
    // 64 MiB went through within the time.
    assert.ok(accepted < announced / 2, `the relay took ${accepted} bytes of an oversized frame's payload`);
  } finally {
    socket.destroy();
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

// Regression: the bound on bytes a client leaves unread was a fixed 64 MiB that no test reached,
// and frames held for the end of a tick were not counted toward it.
test('a connection that stops reading is closed with 1013 and is not sent the rest', async () => {
  const unreadBytes = 1024 * 1024;
  const relay = await startTestRelay({ relay: { rateLimit: { unreadBytes } } });
  const a = connectClient(relay.syncBase, 'slow-reader');
  const b = connectClient(relay.syncBase, 'slow-reader');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const slow = await openRaw(`${relay.syncBase}/slow-reader`);
    let received = 0;
    slow.on('message', (data: Buffer) => (received += data.byteLength));
    const closed = new Promise<number>((done) => slow.once('close', (code) => done(code)));
    slow.pause(); // reads nothing more: the kernel's buffers fill, then the relay's
    const updates = 32;
    const size = 1024 * 1024;
    for (let i = 0; i < updates; i++) a.doc.getMap<string>('blobs').set(`blob-${i}`, 'x'.repeat(size));
    await waitFor('b receives every update', () => b.doc.getMap('blobs').size === updates, 20_000);
    await waitFor(
      'the relay logs closing the slow reader',
      () =>
        relay.logs.some(
          (r) => r.event === 'error' && r.code === 1013 && r.reason === 'client is not reading its messages',
        ),
      10_000,
    );
    slow.resume();
    assert.is(await closed, 1013);
    // It got what the kernel's socket buffers had taken before the bound was reached, not the rest.
    assert.ok(received < (updates * size) / 2, `the slow reader was sent ${received} bytes of ${updates * size}`);
    await stillServes(a, b, 'after-slow-reader');
  } finally {
    destroyClients([a, b]);
    await relay.close();
  }
});

test.run();
