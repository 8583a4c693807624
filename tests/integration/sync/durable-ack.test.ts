/**
 * "Saved on server" means committed to the relay's SQLite file: the relay acknowledges after the
 * commit, the client's save state follows, and a relay killed between an edit and its
 * acknowledgement leaves the client waiting, then re-sending and confirmed after the restart.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as decoding from 'lib0/decoding';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { trackDurable } from '../../../src/platform/sync/durable-state.ts';
import { DurableAcks, messageDurable } from '../../../sync-server/relay/durable-ack.ts';
import { SqlitePersistence } from '../../../sync-server/relay/index.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  type TestClient,
  tempDataDir,
  waitFor,
  waitSynced,
} from '../../support/relay-harness.ts';
import { killRelay, restartRelay, spawnRelay, storedArray } from '../../support/relay-process.ts';
import { openRaw, updateFrame, type RawClient } from '../../support/hostile-client.ts';
import { ACK_HOLD_MS } from '../../../sync-server/relay/relay-connection.ts';

test('an edit is "waiting" until the relay commits it, then "saved on server"; SIGKILL before the acknowledgement re-sends it after restart', async () => {
  const dataDir = tempDataDir();
  let relay = await spawnRelay(dataDir);
  const a = connectClient(`ws://127.0.0.1:${relay.port}/sync`, 'durable-doc');
  const saved = trackDurable(a.doc, a.provider, () => a.provider.wsconnected);
  try {
    await waitSynced(a);
    await waitFor('saved on server after the first exchange', () => saved.state().kind === 'server', 5000);
    a.doc.getArray<string>('strips').push(['first']);
    assert.equal(saved.state(), { kind: 'waiting', waiting: 1 }, 'not confirmed yet');
    await waitFor('the first edit confirmed', () => saved.state().kind === 'server', 5000);
    assert.equal(
      await storedArray(dataDir, 'durable-doc'),
      ['first'],
      'confirmed means in the relay store (its SQLite file or update journal)',
    );

    // Killed between the edit and its confirmation (kill at once, before any reply can arrive).
    a.doc.getArray<string>('strips').push(['second']);
    await killRelay(relay);
    assert.is.not(saved.state().kind, 'server', 'not confirmed before the crash');
    await waitFor('offline once the socket is gone', () => saved.state().kind === 'offline', 5000);
    assert.equal(saved.state(), { kind: 'offline', waiting: 1 });

    relay = await restartRelay(relay, dataDir);
    await waitFor('confirmed after the relay is back', () => saved.state().kind === 'server', 15_000);
    relay.child.kill('SIGTERM');
    await relay.exited;
    assert.equal(await storedArray(dataDir, 'durable-doc'), ['first', 'second'], 'the re-sent edit is stored');
  } finally {
    saved.destroy();
    destroyClients([a]);
    relay.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** Counts the durable acknowledgement frames a client receives from now on. */
function countDurableFrames(client: TestClient): { count: number } {
  const seen = { count: 0 };
  client.provider.ws!.addEventListener('message', (event: MessageEvent) => {
    const kind = decoding.readVarUint(decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer)));
    if (kind === messageDurable) seen.count++;
  });
  return seen;
}

// Regression: every commit was acknowledged to every connection on its own, which doubled the
// relay's socket writes under load (bench:sync); a burst is now acknowledged in a few frames.
test('a burst of 200 edits is acknowledged in a few frames, the last confirming every edit', async () => {
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'burst-doc');
  const saved = trackDurable(a.doc, a.provider, () => a.provider.wsconnected);
  try {
    await waitSynced(a);
    await waitFor('saved on server after the first exchange', () => saved.state().kind === 'server', 5000);
    const acks = countDurableFrames(a);
    for (let i = 0; i < 200; i++) a.doc.getArray<string>('strips').push([`edit ${i}`]);
    assert.equal(saved.state(), { kind: 'waiting', waiting: 200 });
    await waitFor('every edit confirmed', () => saved.state().kind === 'server', 10_000);
    assert.ok(acks.count >= 1 && acks.count <= 20, `${acks.count} acknowledgement frames for 200 edits`);
  } finally {
    saved.destroy();
    destroyClients([a]);
    await relay.close();
  }
});

// Regression: the relay handed a document's update to storage only once the one before it was
// committed, so a burst on one document took one commit round trip per edit (the writer thread's
// batches stayed one update long) and the last edit's broadcast waited for all of them.
test('the edits of a burst on one document are stored together, and each is broadcast only after its commit', async () => {
  const dataDir = tempDataDir();
  const persistence = new SqlitePersistence({ file: join(dataDir, 'relay.sqlite') });
  // A spy on the real store: how many appends are in flight at once, and which are committed.
  const append = persistence.appendUpdate.bind(persistence);
  let inFlight = 0;
  let mostInFlight = 0;
  const committed = new Set<string>();
  persistence.appendUpdate = (docId, update) => {
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    return append(docId, update).finally(() => {
      inFlight--;
      const edit = /edit \d+/.exec(new TextDecoder().decode(update))?.[0];
      if (edit) committed.add(edit);
    });
  };
  const relay = await startTestRelay({ dataDir, persistence });
  const writer = connectClient(relay.syncBase, 'burst-store-doc');
  const reader = connectClient(relay.syncBase, 'burst-store-doc');
  const early: string[] = [];
  try {
    await Promise.all([waitSynced(writer), waitSynced(reader)]);
    reader.doc.getArray<string>('strips').observe((event) => {
      for (const item of event.changes.delta.flatMap((d) => (d.insert as string[] | undefined) ?? []))
        if (!committed.has(item)) early.push(item);
    });
    for (let i = 0; i < 50; i++) writer.doc.getArray<string>('strips').push([`edit ${i}`]);
    await waitFor('the reader has every edit', () => reader.doc.getArray('strips').length === 50, 10_000);
    assert.equal(early, [], 'no edit reached another client before its commit');
    assert.ok(mostInFlight > 1, `appends in flight at once: ${mostInFlight}`);
  } finally {
    destroyClients([writer, reader]);
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an acknowledgement claims only committed changes, also on a document that never pauses', () => {
  const doc = new Y.Doc();
  const sent: number[] = [];
  const writer = {
    sendAck(frame: Uint8Array) {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      sent.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)).get(doc.clientID) ?? 0);
    },
  };
  // Long interval: after the first frame, only a due acknowledgement that waited sends again.
  const acks = new DurableAcks(doc, () => [writer], 60_000, 0);
  const accept = (key: string) => {
    doc.getMap('m').set(key, key); // one struct: the clock goes up by one
    return acks.afterCommit(writer);
  };
  const commitA = accept('a');
  const commitB = accept('b');
  commitA();
  assert.equal(sent, [], 'b is being committed: nothing is acknowledged yet');
  commitB();
  assert.equal(sent, [2], 'both committed: acknowledged with the state that holds them');
  const commitC = accept('c');
  commitC();
  assert.equal(sent, [2], 'within the interval');
  acks.dispose();
  const busy = new DurableAcks(doc, () => [writer], 60_000, 0);
  const take = (key: string) => {
    doc.getMap('m').set(key, key);
    return busy.afterCommit(writer);
  };
  const commitD = take('d');
  const commitE = take('e');
  commitD(); // due, but e is in flight
  const commitF = take('f'); // the wait is over: f's state is taken as it is accepted
  const commitG = take('g');
  commitE();
  assert.equal(sent, [2], 'still nothing in hand that is all committed');
  commitF();
  assert.equal(sent, [2, 6], "f's state, taken at acceptance, once f is committed (g is not)");
  commitG();
  busy.dispose();
});

test("a reader is acknowledged nothing, yet reads 'Saved on server': what the relay sends is committed", async () => {
  const relay = await startTestRelay();
  const writer = connectClient(relay.syncBase, 'reader-doc');
  const reader = connectClient(relay.syncBase, 'reader-doc');
  const readerSaved = trackDurable(reader.doc, reader.provider, () => reader.provider.wsconnected);
  try {
    await Promise.all([waitSynced(writer), waitSynced(reader)]);
    await waitFor('the reader saved on server after its first exchange', () => readerSaved.state().kind === 'server');
    const readerAcks = countDurableFrames(reader);
    for (let i = 0; i < 20; i++) writer.doc.getArray<string>('strips').push([`edit ${i}`]);
    await waitFor('the reader has every edit', () => reader.doc.getArray('strips').length === 20);
    assert.equal(readerSaved.state().kind, 'server', 'received edits are saved on the server already');
    await new Promise((next) => setTimeout(next, 300));
    assert.is(readerAcks.count, 0, 'no acknowledgement frames for a connection that wrote nothing');
  } finally {
    readerSaved.destroy();
    destroyClients([writer, reader]);
    await relay.close();
  }
});

/** The message kinds (first payload byte) of each TCP read `client` gets, frame by frame. */
function readsOf(client: RawClient): number[][] {
  const reads: number[][] = [];
  const socket = (client.ws as unknown as { _socket: NodeJS.EventEmitter })._socket;
  socket.on('data', (chunk: Buffer) => {
    const kinds: number[] = [];
    // Server frames are unmasked: FIN+opcode, length (7, 16 or 64 bits), payload.
    for (let at = 0; at + 2 <= chunk.length;) {
      let length = chunk[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) [length, start] = [chunk.readUInt16BE(at + 2), at + 4];
      else if (length === 127) [length, start] = [Number(chunk.readBigUInt64BE(at + 2)), at + 10];
      kinds.push(chunk[start]!);
      at = start + length;
    }
    reads.push(kinds);
  });
  return reads;
}

const messageSync = 0;

test('an acknowledgement goes out with the writer’s next frame, or on its own within ACK_HOLD_MS', async () => {
  const relay = await startTestRelay();
  const [writer, other] = [await openRaw(relay.syncBase, 'ack-batch'), await openRaw(relay.syncBase, 'ack-batch')];
  try {
    const reads = readsOf(writer);
    const edit = (client: RawClient, name: string) => {
      const doc = new Y.Doc();
      doc.getMap('m').set(name, 1);
      client.send(updateFrame(Y.encodeStateAsUpdate(doc)));
    };
    await new Promise((resolve) => setTimeout(resolve, 300)); // the opening exchange and its acknowledgement
    // Alone: the acknowledgement of the writer's edit comes by itself, within the hold.
    reads.length = 0;
    const sentAt = performance.now();
    edit(writer, 'alone');
    await waitFor('the acknowledgement', () => reads.some((kinds) => kinds.includes(messageDurable)), 5000);
    const tookMs = performance.now() - sentAt;
    assert.ok(tookMs < ACK_HOLD_MS + 400, `the acknowledgement took ${tookMs.toFixed(0)} ms`);
    // Busy: the writer edits, someone else's update follows at once; the acknowledgement rides with it.
    await new Promise((resolve) => setTimeout(resolve, 700)); // past the acknowledgement interval
    reads.length = 0;
    edit(writer, 'busy');
    await new Promise((resolve) => setTimeout(resolve, 20));
    edit(other, 'theirs');
    await waitFor(
      'the acknowledgement and the update',
      () => reads.flat().filter((k) => k === messageDurable || k === messageSync).length >= 2,
      5000,
    );
    assert.ok(
      reads.some((kinds) => kinds.includes(messageDurable) && kinds.includes(messageSync)),
      `acknowledgement and broadcast in one write: reads ${JSON.stringify(reads)}`,
    );
  } finally {
    writer.ws.terminate();
    other.ws.terminate();
    await relay.close();
  }
});

test.run();
