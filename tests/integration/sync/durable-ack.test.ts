/**
 * "Saved on server" means committed to the relay's SQLite file: the relay acknowledges after the
 * commit, the client's save state follows, and a relay killed between an edit and its
 * acknowledgement leaves the client waiting, then re-sending and confirmed after the restart.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SqlitePersistence } from '../../../sync-server/relay/index.ts';
import { trackDurable } from '../../../src/platform/sync/durable-state.ts';
import { connectClient, destroyClients, tempDataDir, waitFor, waitSynced } from '../../support/relay-harness.ts';
import { docFrom } from '../../support/relay-persistence-suite.ts';
import { spawnRelay } from '../../support/relay-process.ts';

async function stored(dataDir: string, docId: string): Promise<string[]> {
  const persistence = new SqlitePersistence({ file: join(dataDir, 'relay.sqlite') });
  try {
    return docFrom(await persistence.load(docId))
      .getArray<string>('strips')
      .toArray();
  } finally {
    await persistence.close();
  }
}

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
    assert.equal(await stored(dataDir, 'durable-doc'), ['first'], 'confirmed means in the SQLite file');

    // Killed between the edit and its confirmation (kill at once, before any reply can arrive).
    a.doc.getArray<string>('strips').push(['second']);
    relay.child.kill('SIGKILL');
    await relay.exited;
    assert.is.not(saved.state().kind, 'server', 'not confirmed before the crash');
    await waitFor('offline once the socket is gone', () => saved.state().kind === 'offline', 5000);
    assert.equal(saved.state(), { kind: 'offline', waiting: 1 });

    relay = await spawnRelay(dataDir, relay.port);
    await waitFor('confirmed after the relay is back', () => saved.state().kind === 'server', 15_000);
    relay.child.kill('SIGTERM');
    await relay.exited;
    assert.equal(await stored(dataDir, 'durable-doc'), ['first', 'second'], 'the re-sent edit is stored');
  } finally {
    saved.destroy();
    destroyClients([a]);
    relay.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
