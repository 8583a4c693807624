import { rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectClient, destroyClients, tempDataDir, waitFor, waitSynced } from '../../support/relay-harness.ts';
import { killRelay, restartRelay, spawnRelay, storedArray } from '../../support/relay-process.ts';

test('SIGKILL mid-session loses no update another client received, and clients reconnect by themselves', async () => {
  const dataDir = tempDataDir();
  let relay = await spawnRelay(dataDir);
  const syncBase = `ws://127.0.0.1:${relay.port}/sync`;
  const a = connectClient(syncBase, 'crash-layout');
  const b = connectClient(syncBase, 'crash-layout');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    for (let i = 0; i < 50; i++) a.doc.getArray<string>('strips').push([`a${i}`]);
    await waitFor("b received a's 50 updates", () => b.doc.getArray('strips').length === 50);
    // Keep writing while the relay dies: these may or may not have been accepted.
    const writer = setInterval(() => a.doc.getArray<string>('strips').push([`late${Date.now()}`]), 2);
    await new Promise((next) => setTimeout(next, 30));
    const acknowledged = b.doc.getArray<string>('strips').toArray();
    await killRelay(relay);
    clearInterval(writer);

    const stored = await storedArray(dataDir, 'crash-layout');
    const missing = acknowledged.filter((s) => !stored.includes(s));
    assert.equal(missing, [], `updates seen by another client before the crash but lost: ${missing.join(', ')}`);

    relay = await restartRelay(relay, dataDir);
    await waitFor(
      'both clients reconnected and synced',
      () => a.provider.wsconnected && b.provider.synced && a.provider.synced,
      10_000,
    );
    b.doc.getArray<string>('strips').push(['after restart']);
    await waitFor(
      'a receives an edit made after the restart',
      () => a.doc.getArray<string>('strips').toArray().includes('after restart'),
      5000,
    );
    const fresh = connectClient(syncBase, 'crash-layout');
    await waitSynced(fresh);
    await waitFor(
      'fresh client sees the union',
      () => fresh.doc.getArray('strips').length === a.doc.getArray('strips').length,
    );
    destroyClients([fresh]);
  } finally {
    destroyClients([a, b]);
    await killRelay(relay);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('SIGTERM closes connections, keeps every update and exits with code 0', async () => {
  const dataDir = tempDataDir();
  const relay = await spawnRelay(dataDir);
  const a = connectClient(`ws://127.0.0.1:${relay.port}/sync`, 'term-doc');
  try {
    await waitSynced(a);
    for (let i = 0; i < 20; i++) a.doc.getArray<string>('strips').push([`t${i}`]);
    await waitFor('updates reached the relay', () => relay.output().length > 0);
    await new Promise((next) => setTimeout(next, 100));
    relay.child.kill('SIGTERM');
    assert.is(await relay.exited, 0);
    assert.match(relay.output(), '"event":"disconnect"');
    assert.is((await storedArray(dataDir, 'term-doc')).length, 20);
  } finally {
    destroyClients([a]);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test.run();
