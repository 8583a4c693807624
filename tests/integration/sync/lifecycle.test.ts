import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { test } from 'uvu';
import WebSocket from 'ws';
import * as assert from 'uvu/assert';
import { SqlitePersistence } from '../../../sync-server/relay/index.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  stateOf,
  tempDataDir,
  waitFor,
  waitSynced,
} from '../../support/relay-harness.ts';
import { docFrom } from '../../support/relay-persistence-suite.ts';

test('a document with no connection leaves memory after the grace period and comes back from SQLite', async () => {
  const relay = await startTestRelay({ relay: { unloadAfterMs: 100 } });
  const first = connectClient(relay.syncBase, 'grace-doc');
  try {
    await waitSynced(first);
    first.doc.getArray<string>('strips').push(['kept']);
    await waitFor(
      'update stored',
      () => relay.logs.length > 0 && relay.running.relay.loadedDocuments().includes('grace-doc'),
    );
    await new Promise((next) => setTimeout(next, 50));
    first.provider.destroy();
    await new Promise((next) => setTimeout(next, 40));
    assert.ok(relay.running.relay.loadedDocuments().includes('grace-doc'), 'still loaded inside the grace period');
    await waitFor('document unloaded', () => !relay.running.relay.loadedDocuments().includes('grace-doc'), 2000);
    const second = connectClient(relay.syncBase, 'grace-doc');
    try {
      await waitSynced(second);
      await waitFor('reloaded content', () => second.doc.getArray('strips').length === 1);
      assert.equal(second.doc.getArray('strips').toArray(), ['kept']);
    } finally {
      destroyClients([second]);
    }
  } finally {
    first.doc.destroy();
    await relay.close();
  }
});

test('a client that returns within the grace period finds the document still loaded, not reloaded', async () => {
  let loads = 0;
  const relay = await startTestRelay({
    hooks: {
      onLoadDocument: () => {
        loads++;
      },
    },
    relay: { unloadAfterMs: 1500 },
  });
  const a = connectClient(relay.syncBase, 'bounce');
  try {
    await waitSynced(a);
    a.provider.disconnect();
    await new Promise((next) => setTimeout(next, 100));
    a.provider.connect();
    await waitSynced(a);
    assert.is(loads, 1, 'the document was not unloaded and loaded again');
    a.provider.disconnect();
    await waitFor(
      'unloaded once the grace period is over',
      () => !relay.running.relay.loadedDocuments().includes('bounce'),
      5000,
    );
    a.provider.connect();
    await waitSynced(a);
    assert.is(loads, 2);
  } finally {
    destroyClients([a]);
    await relay.close();
  }
});

test('connect, disconnect and error each write one structured log record without document content', async () => {
  const relay = await startTestRelay();
  const client = connectClient(relay.syncBase, 'logged-doc');
  try {
    await waitSynced(client);
    client.doc.getText('t').insert(0, 'SECRET-CONTENT');
    await new Promise((next) => setTimeout(next, 50));
    client.provider.destroy();
    await waitFor('disconnect logged', () => relay.logs.some((r) => r.event === 'disconnect'));
    const connects = relay.logs.filter((r) => r.event === 'connect');
    assert.is(connects.length, 1);
    assert.is(connects[0]!.docId, 'logged-doc');
    assert.is(connects[0]!.access, 'read-write');
    const disconnect = relay.logs.find((r) => r.event === 'disconnect')!;
    assert.is(disconnect.connection, connects[0]!.connection);
    assert.type(disconnect.durationMs, 'number');
    assert.not.match(JSON.stringify(relay.logs), 'SECRET');
  } finally {
    client.doc.destroy();
    await relay.close();
  }
});

test('compaction while many clients write keeps every update, in memory and on disk', async () => {
  const dataDir = tempDataDir();
  const persistence = new SqlitePersistence({
    file: join(dataDir, 'relay.sqlite'),
    compactAfter: { updates: 15, bytes: 1e9 },
  });
  const relay = await startTestRelay({ dataDir, persistence });
  const clients = Array.from({ length: 4 }, () => connectClient(relay.syncBase, 'busy-layout'));
  try {
    await Promise.all(clients.map((c) => waitSynced(c)));
    for (let round = 0; round < 40; round++) {
      clients.forEach((c, n) => c.doc.getArray<string>('strips').push([`c${n}-r${round}`]));
      if (round % 5 === 0) await new Promise((next) => setTimeout(next, 5));
    }
    await waitFor(
      'all clients have all 160 strips',
      () => clients.every((c) => c.doc.getArray('strips').length === 160),
      10_000,
    );
    const expected = stateOf(clients[0]!.doc);
    assert.ok(clients.every((c) => stateOf(c.doc) === expected));
    destroyClients(clients);
    await relay.close();
    const reopened = new SqlitePersistence({ file: join(dataDir, 'relay.sqlite') });
    try {
      const size = await reopened.logSize('busy-layout');
      assert.ok(size.updates < 160, `log was compacted (${size.updates} rows for 160 updates)`);
      const stored = docFrom(await reopened.load('busy-layout'));
      stored.getArray('strips');
      assert.is(stateOf(stored), expected);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// Regression: one sweep pinged every connection in the same task (a burst of writes, then of pongs).
test('keepalive: a peer that stops answering pings is dropped, and pings are spread over the interval', async () => {
  const intervalMs = 400;
  const relay = await startTestRelay({ relay: { pingIntervalMs: intervalMs } });
  const open = (socket: WebSocket) => new Promise((done) => socket.once('open', done));
  // Twenty live peers (ws answers pings itself) and one whose pongs never come.
  const live = Array.from({ length: 20 }, () => new WebSocket(`${relay.syncBase}/keepalive-doc`));
  const silent = new WebSocket(`${relay.syncBase}/keepalive-doc`, { autoPong: false });
  const pingedAt: number[][] = live.map(() => []);
  live.forEach((socket, i) => socket.on('ping', () => pingedAt[i]!.push(performance.now())));
  let silentClosed = false;
  silent.on('close', () => (silentClosed = true));
  try {
    await Promise.all([...live, silent].map(open));
    await waitFor('the silent peer is dropped', () => silentClosed, 4 * intervalMs + 2000);
    await waitFor('every live peer was pinged twice', () => pingedAt.every((times) => times.length >= 2), 4000);
    assert.ok(
      live.every((socket) => socket.readyState === WebSocket.OPEN),
      'peers that answer stay connected',
    );
    // One sweep used to ping everyone in the same task: the first pings now span the interval.
    const firsts = pingedAt.map((times) => times[0]!);
    const spread = Math.max(...firsts) - Math.min(...firsts);
    assert.ok(
      spread >= intervalMs / 2,
      `first pings spread over ${spread.toFixed(0)} ms of a ${intervalMs} ms interval`,
    );
  } finally {
    for (const socket of [...live, silent]) socket.terminate();
    await relay.close();
  }
});

test.run();
