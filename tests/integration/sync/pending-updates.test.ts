/**
 * Updates the relay cannot integrate (they build on data it never received) are bounded in
 * size and time: the connection that leaves a document waiting is closed with 1008, the pile
 * is discarded, and everyone else keeps syncing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { spawnRelay } from '../../support/relay-process.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  tempDataDir,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';
import { closedWithin, openRaw, updateFrame } from '../../support/hostile-client.ts';
import { chainedUpdates } from '../../support/pending-updates.ts';

/** Round trip of one edit from `a` to `b`, in ms. */
async function roundTrip(a: TestClient, b: TestClient, marker: string): Promise<number> {
  const start = performance.now();
  a.doc.getMap<string>('markers').set(marker, marker);
  await waitFor(`'${marker}' arrives`, () => b.doc.getMap('markers').get(marker) === marker, 10_000);
  return performance.now() - start;
}

// Regression: 2,000 such frames held the event loop for 11.5 s (Yjs re-merges the pending pile
// on every update) and the sender was never closed. The relay runs as its own process here, so
// the honest round trips measure its event loop, not this one's.
test('a flood of updates that depend on data never sent closes the sender with 1008 and stalls nobody', async () => {
  const dataDir = tempDataDir();
  const relay = await spawnRelay(dataDir);
  const syncBase = `ws://127.0.0.1:${relay.port}/sync`;
  const a = connectClient(syncBase, 'honest');
  const b = connectClient(syncBase, 'honest');
  try {
    await Promise.all([waitSynced(a), waitSynced(b)]);
    // The bound scales with how busy the machine is (shared CI); the old stall was 10+ s.
    const quiet: number[] = [];
    for (let i = 0; i < 5; i++) quiet.push(await roundTrip(a, b, `quiet-${i}`));
    const limit = Math.max(500, 5 * quiet.sort((x, y) => x - y)[2]!);
    const updates = chainedUpdates(1000, 2000).slice(1);
    const attacker = await openRaw(syncBase, 'victim');
    for (const update of updates) attacker.send(updateFrame(update));
    let worst = 0;
    for (let i = 0; i < 10; i++) worst = Math.max(worst, await roundTrip(a, b, `during-${i}`));
    assert.is(await closedWithin(attacker, 10_000), 1008);
    assert.ok(
      worst < limit,
      `an honest edit took ${worst.toFixed(0)} ms during the attack (limit ${limit.toFixed(0)} ms)`,
    );
    assert.match(relay.output(), /"code":1008,"reason":"updates depend on \d+ bytes of data the relay never received/);
  } finally {
    destroyClients([a, b]);
    relay.child.kill('SIGTERM');
    await relay.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// Regression: 1,000 one-struct updates that each build on the one before stayed far under the
// byte budget (about 20 KB in all) yet cost Yjs 0.4-0.9 s of re-merging the pile in one
// event-loop turn, and the sender was closed only when the wait budget ran out.
test('many small updates that depend on data never sent close the sender after a few, without a stall', async () => {
  const relay = await startTestRelay({ relay: { pendingLimits: { maxWaitMs: 60_000 } } });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  try {
    const attacker = await openRaw(relay.syncBase, 'tiny-pending');
    const frames = chainedUpdates(1000, 1).slice(1).map(updateFrame);
    delay.enable();
    for (const frame of frames) attacker.send(frame);
    assert.is(await closedWithin(attacker, 5000), 1008);
    delay.disable();
    assert.ok(
      relay.logs.some((r) => r.code === 1008 && /updates that depend on data/.test(String(r.reason))),
      'closed for the number of waiting updates',
    );
    // The relay runs in this process: its longest turn shows here (headroom for a loaded machine).
    const longestMs = delay.max / 1e6;
    assert.ok(longestMs < 300, `the event loop was held for ${longestMs.toFixed(0)} ms`);
  } finally {
    delay.disable();
    await relay.close();
  }
});

test('a connection that keeps a document waiting on data it never sends is closed after the time budget', async () => {
  const relay = await startTestRelay({ relay: { pendingLimits: { maxWaitMs: 300 } } });
  try {
    const attacker = await openRaw(relay.syncBase, 'waiting');
    const [, second] = chainedUpdates(2, 10);
    const start = Date.now();
    attacker.send(updateFrame(second!));
    assert.is(await closedWithin(attacker, 10_000), 1008);
    assert.ok(Date.now() - start >= 250, 'not before the budget');
    assert.ok(relay.logs.some((r) => r.code === 1008 && /waited over 300 ms/.test(String(r.reason))));
  } finally {
    await relay.close();
  }
});

test('an update that arrives before what it builds on is held, then applied, and its sender stays connected', async () => {
  const relay = await startTestRelay({ relay: { pendingLimits: { maxWaitMs: 2000 } } });
  const reader = connectClient(relay.syncBase, 'out-of-order');
  try {
    await waitSynced(reader);
    const sender = await openRaw(relay.syncBase, 'out-of-order');
    const [first, second] = chainedUpdates(2, 10);
    sender.send(updateFrame(second!));
    await new Promise((next) => setTimeout(next, 100));
    sender.send(updateFrame(first!));
    await waitFor('reader gets both', () => reader.doc.getMap('m').size === 2);
    await new Promise((next) => setTimeout(next, 2200));
    assert.is(sender.ws.readyState, sender.ws.OPEN, 'the sender was not closed');
    const fresh = new Y.Doc();
    const late = connectClient(relay.syncBase, 'out-of-order', { doc: fresh });
    await waitSynced(late);
    assert.is(fresh.getMap('m').size, 2);
    sender.ws.terminate();
    destroyClients([late]);
  } finally {
    destroyClients([reader]);
    await relay.close();
  }
});

test.run();
