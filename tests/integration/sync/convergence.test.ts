import { test } from 'uvu';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { messageAwareness, messageSync } from '../../../sync-server/relay/index.ts';
import * as assert from 'uvu/assert';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  stateOf,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';

function allEqual(clients: TestClient[]): boolean {
  const first = stateOf(clients[0]!.doc);
  return clients.every((c) => stateOf(c.doc) === first);
}

test('two clients editing the same document at once end with the same document', async () => {
  const relay = await startTestRelay();
  const clients = [connectClient(relay.syncBase, 'layout-1'), connectClient(relay.syncBase, 'layout-1')];
  try {
    await Promise.all(clients.map((c) => waitSynced(c)));
    const [a, b] = clients as [TestClient, TestClient];
    for (let i = 0; i < 20; i++) {
      a.doc.getArray<string>('strips').insert(0, [`a${i}`]);
      b.doc.getArray<string>('strips').insert(0, [`b${i}`]);
      a.doc.getMap('keys').set('k1', `from a ${i}`);
      b.doc.getMap('keys').set('k1', `from b ${i}`);
    }
    await waitFor('both clients converge', () => allEqual(clients) && a.doc.getArray('strips').length === 40);
    assert.is(a.doc.getMap('keys').get('k1'), b.doc.getMap('keys').get('k1'));
  } finally {
    destroyClients(clients);
    await relay.close();
  }
});

test('ten clients editing concurrently all converge, and a late joiner gets the whole document', async () => {
  const relay = await startTestRelay();
  const clients = Array.from({ length: 10 }, () => connectClient(relay.syncBase, 'shared-layout'));
  try {
    await Promise.all(clients.map((c) => waitSynced(c)));
    clients.forEach((c, n) => {
      for (let i = 0; i < 10; i++) c.doc.getArray<string>('strips').push([`c${n}-${i}`]);
      c.doc.getMap('names').set(`slot`, `client ${n}`);
    });
    await waitFor(
      'ten clients converge',
      () => allEqual(clients) && clients[0]!.doc.getArray('strips').length === 100,
      10_000,
    );
    const late = connectClient(relay.syncBase, 'shared-layout');
    clients.push(late);
    await waitSynced(late);
    late.doc.getMap('names');
    await waitFor('late joiner has everything', () => late.doc.getArray('strips').length === 100);
    assert.is(stateOf(late.doc), stateOf(clients[0]!.doc));
  } finally {
    destroyClients(clients);
    await relay.close();
  }
});

test('a client that went offline keeps editing and merges with the others after it reconnects', async () => {
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'offline-doc');
  const b = connectClient(relay.syncBase, 'offline-doc');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    a.doc.getArray<string>('strips').push(['shared']);
    await waitFor('b sees the first strip', () => b.doc.getArray('strips').length === 1);
    b.provider.disconnect();
    a.doc.getArray<string>('strips').push(['online edit']);
    a.doc.getMap('keys').set('rename', 'online');
    b.doc.getArray<string>('strips').push(['offline edit']);
    b.doc.getMap('keys').set('rename', 'offline');
    await new Promise((next) => setTimeout(next, 100));
    assert.is(b.doc.getArray('strips').length, 2, 'offline client does not see online edits yet');
    b.provider.connect();
    await waitFor(
      'both converge after reconnect',
      () => stateOf(a.doc) === stateOf(b.doc) && a.doc.getArray('strips').length === 3,
    );
    assert.equal([...a.doc.getArray<string>('strips').toArray()].sort(), ['offline edit', 'online edit', 'shared']);
  } finally {
    destroyClients([a, b]);
    await relay.close();
  }
});

test("presence is relayed, and the relay removes a connection's presence when it drops without saying goodbye", async () => {
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'presence-doc');
  const b = connectClient(relay.syncBase, 'presence-doc');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ana', colour: '#f00', selection: 'strip-3' });
    const aId = a.doc.clientID;
    await waitFor(
      "b sees a's presence",
      () =>
        (b.provider.awareness.getStates().get(aId) as { user?: { name: string } } | undefined)?.user?.name === 'Ana',
    );
    // A raw socket that announces presence and then vanishes (a crashed tab sends no removal).
    const ghost = new Y.Doc();
    const ghostAwareness = new awarenessProtocol.Awareness(ghost);
    ghostAwareness.setLocalState({ user: { name: 'Ghost' } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageAwareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(ghostAwareness, [ghost.clientID]));
    const raw = new WebSocket(`${relay.syncBase}/presence-doc`);
    await new Promise((open) => raw.once('open', open));
    raw.send(encoding.toUint8Array(encoder));
    await waitFor('b sees the ghost', () => b.provider.awareness.getStates().has(ghost.clientID));
    raw.terminate();
    await waitFor('ghost presence removed by the relay', () => !b.provider.awareness.getStates().has(ghost.clientID));
    ghostAwareness.destroy();
    a.provider.destroy();
    await waitFor("a's presence removed at b", () => !b.provider.awareness.getStates().has(aId));
  } finally {
    destroyClients([b]);
    a.doc.destroy();
    await relay.close();
  }
});

test('broadcast updates of every frame length arrive whole and in order, also several in one tick', async () => {
  // The relay frames a broadcast itself (wire-frame.ts): a 7-bit, a 16-bit and a 64-bit length
  // each, and several updates written in one tick (one writev) must reach a reader as
  // separate, complete frames in the order they were accepted.
  const relay = await startTestRelay();
  const writer = connectClient(relay.syncBase, 'frame-lengths');
  const reader = new WebSocket(`${relay.syncBase}/frame-lengths`);
  const received: Uint8Array[] = [];
  reader.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== messageSync) return;
    if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate) return;
    received.push(decoding.readVarUint8Array(decoder));
  });
  try {
    await Promise.all([waitSynced(writer), new Promise((open) => reader.once('open', open))]);
    const text = writer.doc.getText('notes');
    const sizes = [10, 200, 70_000, 30, 125, 126, 65_535, 65_536, 5];
    const sent: Uint8Array[] = [];
    writer.doc.on('update', (update: Uint8Array) => sent.push(update));
    // Each insert is its own update; the first five leave in one tick, the rest one at a time.
    for (const size of sizes.slice(0, 5)) text.insert(text.length, 'x'.repeat(size));
    await waitFor('the first five arrive', () => received.length >= 5);
    for (const size of sizes.slice(5)) {
      text.insert(text.length, 'y'.repeat(size));
      await new Promise((next) => setTimeout(next, 20));
    }
    await waitFor('every update arrives', () => received.length >= sizes.length);
    const copy = new Y.Doc();
    for (const update of received) {
      Y.applyUpdate(copy, update);
      // An update that arrived before one it builds on would sit in Yjs's pending store.
      assert.is(copy.store.pendingStructs, null, 'updates arrive in the order they were made');
    }
    assert.is(received.length, sent.length);
    assert.is(copy.getText('notes').toString(), text.toString());
    copy.destroy();
  } finally {
    reader.terminate();
    destroyClients([writer]);
    await relay.close();
  }
});

test.run();
