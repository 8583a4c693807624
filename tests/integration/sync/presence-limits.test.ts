/**
 * Presence (awareness) is bounded and owned: the relay runs as its own process, so a crash
 * shows as a dead process instead of taking the test runner down.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClient, destroyClients, tempDataDir, waitFor, waitSynced } from '../../support/relay-harness.ts';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.ts';
import { closedWithin, nestedJson, openRaw, presenceFrame, receivedPresence } from '../../support/hostile-client.ts';
import { rmSync } from 'node:fs';

let relay: RelayProcess;
let dataDir: string;
let syncBase: string;

test.before(async () => {
  dataDir = tempDataDir();
  relay = await spawnRelay(dataDir);
  syncBase = `ws://127.0.0.1:${relay.port}/sync`;
});

test.after(async () => {
  relay.child.kill('SIGTERM');
  await relay.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = () => relay.child.exitCode === null && relay.child.signalCode === null;

// Regression: a state nested 10,000 deep was stored; a client joining before the sender's close
// completed threw while its opening presence frame was encoded (stack overflow), uncaught: the
// whole process exited.
test('a deeply nested presence state is refused before it is stored, and a joining client is served', async () => {
  const attacker = await openRaw(syncBase, 'nested');
  attacker.send(presenceFrame([{ clientId: 4242, clock: 1, json: nestedJson(10_000) }]));
  const joiners = await Promise.all(Array.from({ length: 5 }, () => openRaw(syncBase, 'nested')));
  assert.is(await closedWithin(attacker, 10_000), 1008);
  const honest = connectClient(syncBase, 'nested');
  try {
    await waitSynced(honest);
    assert.ok(alive(), 'the relay process is still running');
    assert.ok(
      joiners.every((j) => receivedPresence(j).every((p) => p.clientId !== 4242)),
      'nobody received the nested state',
    );
    assert.match(relay.output(), /presence state of 20000 bytes \(limit 4096\)/);
    // Under the size limit, the depth limit refuses it.
    const small = await openRaw(syncBase, 'nested');
    small.send(presenceFrame([{ clientId: 4343, clock: 1, json: nestedJson(1000) }]));
    assert.is(await closedWithin(small, 10_000), 1008);
    assert.match(relay.output(), /nested deeper than 16/);
  } finally {
    for (const j of joiners) j.ws.terminate();
    destroyClients([honest]);
  }
});

// Regression: any connection could overwrite another person's presence by sending their client id.
test('a connection cannot set or remove presence for a client id another connection introduced', async () => {
  const alice = await openRaw(syncBase, 'spoof');
  const watcher = await openRaw(syncBase, 'spoof');
  const attacker = await openRaw(syncBase, 'spoof');
  try {
    alice.send(presenceFrame([{ clientId: 1111, clock: 1, json: '{"user":{"name":"Alice","colour":"#ff9933"}}' }]));
    await waitFor('watcher sees Alice', () => receivedPresence(watcher).some((p) => p.clientId === 1111));
    attacker.send(
      presenceFrame([
        { clientId: 1111, clock: 99, json: '{"user":{"name":"Alice (spoofed by attacker)","colour":"#ff9933"}}' },
      ]),
    );
    attacker.send(presenceFrame([{ clientId: 1111, clock: 100, json: 'null' }]));
    attacker.send(presenceFrame([{ clientId: 2222, clock: 1, json: '{"user":{"name":"attacker"}}' }]));
    await waitFor("watcher sees the attacker's own id", () =>
      receivedPresence(watcher).some((p) => p.clientId === 2222),
    );
    const aliceStates = receivedPresence(watcher).filter((p) => p.clientId === 1111);
    assert.ok(
      aliceStates.every((p) => JSON.stringify(p.state).includes('"Alice"')),
      JSON.stringify(aliceStates),
    );
    assert.match(relay.output(), /client id 1111, which another connection owns, refused/);
  } finally {
    for (const c of [alice, watcher, attacker]) c.ws.terminate();
  }
});

// Regression: one connection pushed 9,600 client entries (+100 MB RSS, not freed after it left).
test('a connection introducing more than 8 presence client ids is closed with 1008', async () => {
  const attacker = await openRaw(syncBase, 'many-ids');
  for (let i = 0; i < 9; i++) attacker.send(presenceFrame([{ clientId: 5000 + i, clock: 1, json: '{}' }]));
  assert.is(await closedWithin(attacker, 10_000), 1008);
  const batch = await openRaw(syncBase, 'many-ids');
  batch.send(presenceFrame(Array.from({ length: 9600 }, (_, i) => ({ clientId: 10_000 + i, clock: 1, json: '{}' }))));
  assert.is(await closedWithin(batch, 10_000), 1008);
  assert.ok(alive());
});

test('a presence state over 4 KB is refused with 1008', async () => {
  const attacker = await openRaw(syncBase, 'big-state');
  attacker.send(presenceFrame([{ clientId: 7, clock: 1, json: JSON.stringify({ user: { name: 'x'.repeat(5000) } }) }]));
  assert.is(await closedWithin(attacker, 10_000), 1008);
});

test('the states of a closed connection are removed for everyone at once', async () => {
  const watcher = await openRaw(syncBase, 'leaving');
  const leaver = await openRaw(syncBase, 'leaving');
  try {
    leaver.send(presenceFrame([{ clientId: 3333, clock: 1, json: '{"user":{"name":"Leaver"}}' }]));
    await waitFor('watcher sees the leaver', () =>
      receivedPresence(watcher).some((p) => p.clientId === 3333 && p.state !== null),
    );
    leaver.ws.terminate();
    await waitFor(
      'watcher sees the leaver removed',
      () => receivedPresence(watcher).some((p) => p.clientId === 3333 && p.state === null),
      2000,
    );
  } finally {
    watcher.ws.terminate();
  }
});

test('read-only connections show who they are but not a selection', async () => {
  // Read-only needs an auth hook: run one relay in-process for this.
  const { startTestRelay } = await import('../../support/relay-harness.ts');
  const local = await startTestRelay({
    hooks: { onAuthenticate: ({ request }) => (request.url?.includes('ro=1') ? 'read-only' : 'read-write') },
  });
  try {
    const watcher = await openRaw(local.syncBase, 'ro-doc');
    const reader = await openRaw(local.syncBase, 'ro-doc?ro=1');
    reader.send(
      presenceFrame([
        {
          clientId: 4444,
          clock: 1,
          json: '{"user":{"name":"Reader","colour":"#40c8be"},"selection":"strip-3","cursor":7}',
        },
      ]),
    );
    await waitFor('watcher sees the reader', () => receivedPresence(watcher).some((p) => p.clientId === 4444));
    const state = receivedPresence(watcher).find((p) => p.clientId === 4444)!.state;
    assert.equal(state, { user: { name: 'Reader', colour: '#40c8be' } });
    watcher.ws.terminate();
    reader.ws.terminate();
  } finally {
    await local.close();
  }
});

test('presence changes in one tick reach each subscriber as one frame', async () => {
  const watcher = await openRaw(syncBase, 'batched');
  const senders = await Promise.all(Array.from({ length: 4 }, () => openRaw(syncBase, 'batched')));
  try {
    await new Promise((next) => setTimeout(next, 100));
    const before = watcher.received.length;
    // One frame per sender, all in the relay's same tick (sent back to back on loopback).
    senders.forEach((s, i) => s.send(presenceFrame([{ clientId: 6000 + i, clock: 1, json: '{}' }])));
    await waitFor('watcher sees all four', () => new Set(receivedPresence(watcher).map((p) => p.clientId)).size >= 4);
    const frames = watcher.received.length - before;
    assert.ok(frames < 4, `expected the four changes batched into fewer frames, got ${frames}`);
  } finally {
    for (const c of [watcher, ...senders]) c.ws.terminate();
  }
});

test.run();
