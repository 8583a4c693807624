/**
 * Presence (awareness) is bounded and owned: the relay runs as its own process, so a crash
 * shows as a dead process instead of taking the test runner down.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  tempDataDir,
  waitFor,
  waitSynced,
} from '../../support/relay-harness.ts';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.ts';
import {
  closedWithin,
  nestedJson,
  openRaw,
  presenceFrame,
  receivedPresence,
  type RawClient,
} from '../../support/hostile-client.ts';
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

/** `member` shows as `name` under `clientId`, then its socket drops; resolves once `watcher` saw both. */
async function showThenLeave(
  watcher: RawClient,
  member: RawClient,
  clientId: number,
  name: string,
  timeoutMs = 5000,
): Promise<void> {
  member.send(presenceFrame([{ clientId, clock: 1, json: JSON.stringify({ user: { name } }) }]));
  await waitFor(`watcher sees ${name}`, () =>
    receivedPresence(watcher).some((p) => p.clientId === clientId && p.state !== null),
  );
  member.ws.terminate();
  await waitFor(
    `watcher sees ${name} leave`,
    () => receivedPresence(watcher).some((p) => p.clientId === clientId && p.state === null),
    timeoutMs,
  );
}

test('the states of a closed connection are removed for everyone at once', async () => {
  const watcher = await openRaw(syncBase, 'leaving');
  const leaver = await openRaw(syncBase, 'leaving');
  try {
    await showThenLeave(watcher, leaver, 3333, 'Leaver', 2000);
  } finally {
    watcher.ws.terminate();
  }
});

// Regression: docs/relay.md said that when a connection closed its ids were free again, so
// anyone who had seen Alice's client id (every peer does) could show as her until she returned.
test("a departed connection's client ids stay reserved to its presence key", async () => {
  const aliceKey = 'alice-tab-key-0123456789';
  const watcher = await openRaw(syncBase, 'reserved');
  const alice = await openRaw(syncBase, `reserved?presenceKey=${aliceKey}`);
  const keyed = await openRaw(syncBase, 'reserved?presenceKey=attacker-key-0123456789');
  const anonymous = await openRaw(syncBase, 'reserved');
  try {
    await showThenLeave(watcher, alice, 4242, 'Alice');
    const spoof = '{"user":{"name":"Alice (spoofed by attacker)"}}';
    keyed.send(presenceFrame([{ clientId: 4242, clock: 2, json: spoof }]));
    anonymous.send(presenceFrame([{ clientId: 4242, clock: 3, json: spoof }]));
    keyed.send(presenceFrame([{ clientId: 4343, clock: 1, json: '{"user":{"name":"attacker"}}' }]));
    anonymous.send(presenceFrame([{ clientId: 4444, clock: 1, json: '{"user":{"name":"anonymous"}}' }]));
    await waitFor("watcher sees the attackers' own ids", () =>
      [4343, 4444].every((id) => receivedPresence(watcher).some((p) => p.clientId === id)),
    );
    assert.not.ok(
      receivedPresence(watcher).some((p) => p.clientId === 4242 && JSON.stringify(p.state).includes('spoofed')),
      `a spoofed state for the departed client id reached the watcher: ${JSON.stringify(receivedPresence(watcher))}`,
    );
    assert.match(relay.output(), /client id 4242, reserved for the connection that left it, refused/);
    // Alice's tab reconnects with its key and takes its id back.
    const back = await openRaw(syncBase, `reserved?presenceKey=${aliceKey}`);
    back.send(presenceFrame([{ clientId: 4242, clock: 4, json: '{"user":{"name":"Alice, back"}}' }]));
    await waitFor('watcher sees Alice back', () =>
      receivedPresence(watcher).some((p) => p.clientId === 4242 && JSON.stringify(p.state).includes('back')),
    );
    back.ws.terminate();
  } finally {
    for (const c of [watcher, alice, keyed, anonymous]) c.ws.terminate();
  }
});

test("with an identity from the host (accounts), a departed person's client ids stay theirs", async () => {
  const own = await startTestRelay({
    hooks: { identify: ({ request }) => (request.headers['x-person'] as string | undefined) ?? null },
  });
  const as = (person: string) => ({ 'x-person': person });
  try {
    const watcher = await openRaw(own.syncBase, 'accounts', as('watcher'));
    const alice = await openRaw(own.syncBase, 'accounts', as('alice'));
    await showThenLeave(watcher, alice, 777, 'Alice');
    const mallory = await openRaw(own.syncBase, 'accounts', as('mallory'));
    mallory.send(presenceFrame([{ clientId: 777, clock: 5, json: '{"user":{"name":"Alice (spoofed)"}}' }]));
    const aliceAgain = await openRaw(own.syncBase, 'accounts', as('alice'));
    aliceAgain.send(presenceFrame([{ clientId: 777, clock: 6, json: '{"user":{"name":"Alice, other tab"}}' }]));
    await waitFor('watcher sees Alice back', () =>
      receivedPresence(watcher).some((p) => JSON.stringify(p.state).includes('other tab')),
    );
    assert.not.ok(receivedPresence(watcher).some((p) => JSON.stringify(p.state).includes('spoofed')));
    assert.ok(own.logs.some((r) => /client id 777, reserved/.test(String(r.reason))));
    for (const c of [watcher, mallory, aliceAgain]) c.ws.terminate();
  } finally {
    await own.close();
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

// Regression: the stock y-websocket provider sends back every presence change it receives (its
// awareness handler does not look at where a change came from), and each echo was logged as a
// refused overwrite at error level: two people on a document filled the log with false alarms.
test('presence the stock provider echoes back is dropped quietly; an overwrite is still logged', async () => {
  const local = await startTestRelay();
  const ana = connectClient(local.syncBase, 'echo');
  const ben = connectClient(local.syncBase, 'echo');
  const nameSeen = (by: typeof ana, of: typeof ana) =>
    (by.provider.awareness.getStates().get(of.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name;
  try {
    await Promise.all([waitSynced(ana), waitSynced(ben)]);
    for (let i = 0; i < 5; i++) {
      ana.provider.awareness.setLocalStateField('user', { name: `Ana ${i}` });
      ben.provider.awareness.setLocalStateField('user', { name: `Ben ${i}` });
      await waitFor(
        `both see round ${i}`,
        () => nameSeen(ben, ana) === `Ana ${i}` && nameSeen(ana, ben) === `Ben ${i}`,
      );
    }
    // A document change sent after the echoes, on the same sockets: once it has gone round,
    // the relay has handled every echo.
    ben.doc.getMap<string>('m').set('after', 'echoes');
    ana.doc.getMap<string>('m').set('after-ana', 'echoes');
    await waitFor(
      'the changes went round',
      () => ana.doc.getMap('m').get('after') === 'echoes' && ben.doc.getMap('m').get('after-ana') === 'echoes',
    );
    const refusals = local.logs.filter((r) => /refused/.test(String(r.reason)));
    assert.equal(refusals, [], 'an echo was logged as a refused overwrite');
    // Someone else's id with a newer clock is a real overwrite: refused and logged.
    const attacker = await openRaw(local.syncBase, 'echo');
    attacker.send(presenceFrame([{ clientId: ana.doc.clientID, clock: 1000, json: '{"user":{"name":"not Ana"}}' }]));
    await waitFor('the overwrite is logged', () =>
      local.logs.some(
        (r) =>
          r.event === 'error' &&
          String(r.reason).includes(`client id ${ana.doc.clientID}, which another connection owns, refused`),
      ),
    );
    assert.is(nameSeen(ben, ana), 'Ana 4');
    attacker.ws.terminate();
  } finally {
    destroyClients([ana, ben]);
    await local.close();
  }
});

test.run();
