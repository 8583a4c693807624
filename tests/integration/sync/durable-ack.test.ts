/**
 * "Saved on server" means committed to the relay's SQLite file: the relay acknowledges after the
 * commit, the client's save state follows, and a relay killed between an edit and its
 * acknowledgement leaves the client waiting, then re-sending and confirmed after the restart.
 */
import { rmSync } from 'node:fs';
import * as decoding from 'lib0/decoding';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { trackDurable } from '../../../src/platform/sync/durable-state.ts';
import { messageDurable } from '../../../sync-server/relay/durable-ack.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  tempDataDir,
  waitFor,
  waitSynced,
} from '../../support/relay-harness.ts';
import { killRelay, restartRelay, spawnRelay, storedArray } from '../../support/relay-process.ts';

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
    assert.equal(await storedArray(dataDir, 'durable-doc'), ['first'], 'confirmed means in the SQLite file');

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

// Regression: every commit was acknowledged to every connection on its own, which doubled the
// relay's socket writes under load (bench:sync); a burst is now acknowledged in a few frames.
test('a burst of 200 edits is acknowledged in a few frames, the last confirming every edit', async () => {
  const relay = await startTestRelay();
  const a = connectClient(relay.syncBase, 'burst-doc');
  const saved = trackDurable(a.doc, a.provider, () => a.provider.wsconnected);
  try {
    await waitSynced(a);
    await waitFor('saved on server after the first exchange', () => saved.state().kind === 'server', 5000);
    let acks = 0;
    a.provider.ws!.addEventListener('message', (event: MessageEvent) => {
      const kind = decoding.readVarUint(decoding.createDecoder(new Uint8Array(event.data as ArrayBuffer)));
      if (kind === messageDurable) acks++;
    });
    for (let i = 0; i < 200; i++) a.doc.getArray<string>('strips').push([`edit ${i}`]);
    assert.equal(saved.state(), { kind: 'waiting', waiting: 200 });
    await waitFor('every edit confirmed', () => saved.state().kind === 'server', 10_000);
    assert.ok(acks >= 1 && acks <= 20, `${acks} acknowledgement frames for 200 edits`);
  } finally {
    saved.destroy();
    destroyClients([a]);
    await relay.close();
  }
});

test.run();
