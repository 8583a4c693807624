/**
 * Hostile clients against the real server (its own process, a real port, real SQLite): after
 * each attack the server is alive, a client of another document still syncs within 100 ms
 * (median of 5 round trips; an attack used to stall the relay for seconds), and the relay's
 * RSS comes back to within 20 MB of where it was.
 *
 * Seeded: the seed is printed; replay a run with HOSTILE_SEED=<seed>.
 */
import { readFileSync, rmSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  closedWithin,
  malformedFrame,
  nestedJson,
  openRaw,
  presenceFrame,
  updateFrame,
  validMessages,
  type RawClient,
} from '../../support/hostile-client.ts';
import { chainedUpdates } from '../../support/pending-updates.ts';
import {
  connectClient,
  destroyClients,
  tempDataDir,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';
import { probe } from '../../support/http-probe.ts';
import { spawnRelay, type RelayProcess } from '../../support/relay-process.ts';
import { seededRandom } from '../../support/signals.ts';

const seed = Number(process.env.HOSTILE_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`hostile seed ${seed} (replay with HOSTILE_SEED=${seed})`);
const random = seededRandom(seed);
const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;

/**
 * Honest round trip budget after an attack (median of 5): 100 ms, or 3x the median measured
 * before any attack when the machine is so busy that even that is slower (shared CI runners).
 * The stalls this guards against were seconds long.
 */
const SYNC_MS = Number(process.env.HOSTILE_SYNC_MS ?? 100);
let syncLimitMs = SYNC_MS;
const RSS_SLACK_MB = 20;

let relay: RelayProcess;
let dataDir: string;
let syncBase: string;
let honest: [TestClient, TestClient];
let baselineMb = 0;
let markers = 0;

const rssMb = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${relay.child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (ms: number) => new Promise((next) => setTimeout(next, ms));

async function roundTrip(): Promise<number> {
  const [a, b] = honest;
  const marker = `m${++markers}`;
  const start = performance.now();
  a.doc.getMap<string>('markers').set(marker, marker);
  await waitFor(`honest edit '${marker}' arrives`, () => b.doc.getMap('markers').get(marker) === marker, 10_000);
  return performance.now() - start;
}

async function medianRoundTrip(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) times.push(await roundTrip());
  return times.sort((x, y) => x - y)[2]!;
}

/**
 * What every attack must leave behind: a live relay, prompt sync elsewhere, memory given back
 * (`memory: false` when what was sent was honest data the relay rightly keeps loaded).
 */
async function assertUnharmed(attack: string, { memory = true } = {}): Promise<void> {
  assert.ok(
    relay.child.exitCode === null && relay.child.signalCode === null,
    `${attack}: the relay process died:\n${relay.output().slice(-2000)}`,
  );
  const median = await medianRoundTrip();
  assert.ok(
    median <= syncLimitMs,
    `${attack}: an honest edit on another document took ${median.toFixed(1)} ms (median of 5), limit ${syncLimitMs.toFixed(0)}`,
  );
  if (!memory) return;
  // A full collection first: uncollected garbage is not a leak.
  relay.child.kill('SIGUSR2');
  await sleep(300);
  let rss = rssMb();
  for (let i = 0; i < 25 && rss > baselineMb + RSS_SLACK_MB; i++) {
    await sleep(200);
    relay.child.kill('SIGUSR2');
    rss = rssMb();
  }
  assert.ok(
    rss <= baselineMb + RSS_SLACK_MB,
    `${attack}: relay RSS ${rss.toFixed(1)} MB, was ${baselineMb.toFixed(1)} MB before`,
  );
}

/** Opens `count` raw sockets on documents other than the honest one. */
function openMany(count: number, docOf: (i: number) => string): Promise<RawClient[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => openRaw(syncBase, docOf(i))));
}

const closeAll = (clients: RawClient[]) => {
  for (const c of clients) c.ws.terminate();
};

test.before(async () => {
  dataDir = tempDataDir();
  relay = await spawnRelay(dataDir, 0, { RELAY_LOG: 'silent', RELAY_GC: '1' });
  syncBase = `ws://127.0.0.1:${relay.port}/sync`;
  honest = [connectClient(syncBase, 'honest'), connectClient(syncBase, 'honest')];
  await Promise.all(honest.map((c) => waitSynced(c)));
  for (let i = 0; i < 20; i++) await roundTrip(); // warm up the code paths before the baseline
  const quiet = await medianRoundTrip();
  syncLimitMs = Math.max(SYNC_MS, 3 * quiet);
  console.log(
    `honest round trip before attacks ${quiet.toFixed(1)} ms (median of 5); limit after each attack ${syncLimitMs.toFixed(0)} ms`,
  );
  relay.child.kill('SIGUSR2');
  await sleep(300);
  baselineMb = rssMb();
});

test.after(async () => {
  destroyClients(honest);
  relay.child.kill('SIGTERM');
  await relay.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

const started = new Map<string, number>();
test.before.each((context) => {
  started.set(context.__test__, performance.now());
});
test.after.each((context) => {
  console.log(
    `  ${context.__test__}: ${((performance.now() - started.get(context.__test__)!) / 1000).toFixed(1)} s, relay RSS ${rssMb().toFixed(1)} MB (baseline ${baselineMb.toFixed(1)})`,
  );
});

test('malformed and truncated frames', async () => {
  const valid = validMessages();
  for (let round = 0; round < 5; round++) {
    const clients = await openMany(40, (i) => `fuzz-${i % 5}`);
    for (const client of clients) {
      for (let i = 0; i < 1 + Math.floor(random() * 3); i++) client.send(malformedFrame(random, valid));
    }
    // Some damaged frames are still valid (the connection stays open): give the rest a moment.
    await Promise.all(clients.map((c) => closedWithin(c, 300).catch(() => 0)));
    closeAll(clients);
  }
  await assertUnharmed('malformed frames');
});

test('oversized frames', async () => {
  const clients = await openMany(3, (i) => `big-${i}`);
  for (const client of clients) client.send(new Uint8Array(16 * 1024 * 1024 + 1));
  const codes = await Promise.all(clients.map((c) => closedWithin(c, 10_000)));
  assert.equal(codes, [1009, 1009, 1009]);
  await assertUnharmed('oversized frames');
});

test('frame floods over the rate limit', async () => {
  const clients = await openMany(10, (i) => `flood-${i % 2}`);
  const junk = pick([Uint8Array.from([3]), Uint8Array.from([2, 0])]);
  for (const client of clients) for (let i = 0; i < 1500; i++) client.send(junk);
  const codes = await Promise.all(clients.map((c) => closedWithin(c, 10_000)));
  assert.ok(
    codes.every((code) => code === 1008),
    `close codes ${codes.join(',')}`,
  );
  await assertUnharmed('frame floods');
});

test('nested and oversized presence', async () => {
  const clients = await openMany(20, (i) => `presence-${i % 4}`);
  clients.forEach((client, i) => {
    const json =
      i % 2 === 0
        ? nestedJson(10_000 + Math.floor(random() * 5000))
        : JSON.stringify({ user: { name: 'x'.repeat(4097 + Math.floor(random() * 60_000)) } });
    client.send(presenceFrame([{ clientId: 1 + Math.floor(random() * 2 ** 30), clock: 1, json }]));
  });
  // Joiners while the attackers' closes are in flight (the race that crashed the process).
  const joiners = await openMany(20, (i) => `presence-${i % 4}`);
  const codes = await Promise.all(clients.map((c) => closedWithin(c, 10_000)));
  assert.ok(
    codes.every((code) => code === 1008),
    `close codes ${codes.join(',')}`,
  );
  closeAll(joiners);
  await assertUnharmed('nested and oversized presence');
});

test('spoofed and multiplied presence ids', async () => {
  const victims = await openMany(5, (i) => `spoof-${i}`);
  const ids = victims.map(() => 1 + Math.floor(random() * 2 ** 30));
  victims.forEach((v, i) =>
    v.send(presenceFrame([{ clientId: ids[i]!, clock: 1, json: '{"user":{"name":"victim"}}' }])),
  );
  await sleep(100);
  const attackers = await openMany(20, (i) => `spoof-${i % 5}`);
  attackers.forEach((a, i) => {
    a.send(presenceFrame([{ clientId: ids[i % 5]!, clock: 1000, json: '{"user":{"name":"spoofed"}}' }]));
    // Then thousands of fresh ids, as one frame or many.
    const many = Array.from({ length: 2000 }, (_, k) => ({
      clientId: 2 ** 31 + i * 10_000 + k,
      clock: 1,
      json: '{"user":{"name":"sybil"}}',
    }));
    if (i % 2 === 0) a.send(presenceFrame(many));
    else for (const entry of many.slice(0, 50)) a.send(presenceFrame([entry]));
  });
  const codes = await Promise.all(attackers.map((c) => closedWithin(c, 10_000)));
  assert.ok(
    codes.every((code) => code === 1008),
    `close codes ${codes.join(',')}`,
  );
  closeAll(victims);
  await assertUnharmed('spoofed presence');
});

test('pending-update floods', async () => {
  const updates = chainedUpdates(1500, 2000).slice(1);
  const clients = await openMany(3, (i) => `pending-${i}`);
  for (const client of clients) for (const update of updates) client.send(updateFrame(update));
  const codes = await Promise.all(clients.map((c) => closedWithin(c, 15_000)));
  assert.equal(codes, [1008, 1008, 1008]);
  await assertUnharmed('pending-update floods');
});

test('2,000 sockets at once', async () => {
  const sockets: WebSocket[] = [];
  // In waves of 250: the kernel's listen backlog (511) would otherwise drop SYNs and make the
  // client retry after 1 s, 3 s, ... which measures the kernel, not the relay.
  const opened: PromiseSettledResult<void>[] = [];
  for (let wave = 0; wave < 8; wave++) {
    opened.push(
      ...(await Promise.allSettled(
        Array.from(
          { length: 250 },
          (_, k) =>
            new Promise<void>((resolve, reject) => {
              const ws = new WebSocket(`${syncBase}/crowd-${(wave * 250 + k) % 200}`);
              sockets.push(ws);
              ws.on('error', reject);
              ws.once('open', () => resolve());
            }),
        ),
      )),
    );
  }
  const open = opened.filter((r) => r.status === 'fulfilled').length;
  assert.ok(open >= 1900, `${open} of 2000 sockets opened`);
  const during = await medianRoundTrip();
  assert.ok(during <= 5 * syncLimitMs, `with 2,000 sockets open an honest edit took ${during.toFixed(1)} ms`);
  for (const ws of sockets) ws.terminate();
  await sleep(500);
  await assertUnharmed('2,000 sockets');
});

test('an update claiming more structs than the limit is refused with 1008', async () => {
  const client = await openRaw(syncBase, 'struct-claim');
  // One block that claims 1,000,000 structs in a few bytes.
  client.send(updateFrame(Uint8Array.of(1, 0xc0, 0x84, 0x3d, 7, 0, 0)));
  assert.is(await closedWithin(client, 10_000), 1008);
  await assertUnharmed('struct claim');
});

/** One valid update of `entries` map entries (one struct each), as a client that edited offline sends it. */
function largeUpdate(entries: number): { update: Uint8Array; stateVector: Uint8Array } {
  const doc = new Y.Doc();
  const edits = doc.getMap('edits');
  doc.transact(() => {
    for (let i = 0; i < entries; i++) edits.set(`${i}|a|gain`, { v: String(i % 97) });
  });
  return { update: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc) };
}

/** Asks /healthz one request after another until `done` resolves; returns the longest answer. */
async function longestHealthz(done: Promise<unknown>): Promise<number> {
  let finished = false;
  void done.finally(() => (finished = true));
  let longest = 0;
  while (!finished) {
    const start = performance.now();
    await probe(relay.port, '/healthz');
    longest = Math.max(longest, performance.now() - start);
    await sleep(5);
  }
  return longest;
}

// Last: the document it creates stays in memory for the rest of the run.
// Regression: one valid 4.6 MB update of 150,000 map entries was integrated in one go and held
// the event loop for one to five seconds (more for 300,000): /healthz and every other document
// waited. It is now scanned and applied in slices of 250 structs, at most 10 ms per turn, and
// compacted on a thread of its own.
test('one large valid update does not stall the relay', async () => {
  // What the machine alone does to /healthz meanwhile (shared runners): the limit allows 3x that.
  const idle = await longestHealthz(sleep(1500));
  const { update, stateVector } = largeUpdate(150_000);
  const client = await openRaw(syncBase, 'large-offline-edit');
  // Its sync step 1 is answered once the update before it is applied and durable.
  const answered = waitFor(
    'the sync step 2 after the large update',
    () => client.received.some((frame) => frame[0] === 0 && frame[1] === 1),
    60_000,
  );
  const sent = performance.now();
  client.send(updateFrame(update));
  client.send(
    (() => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
      encoding.writeVarUint8Array(encoder, stateVector);
      return encoding.toUint8Array(encoder);
    })(),
  );
  const longest = await longestHealthz(answered);
  await answered;
  const applyMs = performance.now() - sent;
  // Applied in one go, the longest answer is about the whole apply time, however busy the
  // machine; applied in slices, it is a small part of it (and under 300 ms on a quiet machine).
  const limit = Math.max(300, 3 * idle, applyMs / 4);
  console.log(
    `  longest /healthz answer ${longest.toFixed(0)} ms during an apply of ${applyMs.toFixed(0)} ms (idle: ${idle.toFixed(0)} ms)`,
  );
  assert.ok(
    longest <= limit,
    `/healthz waited ${longest.toFixed(0)} ms while the update was applied (limit ${limit.toFixed(0)})`,
  );
  assert.ok(client.ws.readyState === WebSocket.OPEN, 'the honest sender stays connected');
  client.ws.terminate();
  // The document is honest data: it stays loaded (unloadAfterMs), so its memory is not checked.
  await assertUnharmed('one large valid update', { memory: false });
});

test.run();
