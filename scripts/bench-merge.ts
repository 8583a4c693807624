/**
 * `npm run bench:merge`: 5 peers x 2,000 random layout operations (moves, swaps, assignments,
 * clears, palette adds, renames) on a 256-strip layout, with random offline periods, merged
 * through the layout intents (docs/merge.md). Prints:
 *   - time for a peer to apply one remote operation (Y update + reconcile), median and p95,
 *     online (one op per update) and after an offline period (a batch, per operation in it);
 *   - the final encoded document against the same layout written once (imported fresh);
 *   - how many lost intents were reported;
 *   - the floor: the size of a bare Y.Map after as many plain last-writer-wins writes (what any
 *     Yjs document pays per edit in tombstones, before any merge data).
 * Goal (issue 11): < 1 ms median per remote op, <= 3x the written-once size.
 * BENCH_OPS=<n> changes the operations per peer.
 */
import * as Y from 'yjs';
import {
  addPaletteTrack,
  clearStrip,
  createLayoutXml,
  moveStrip,
  placeTrack,
  readLayouts,
  recordedLostIntents,
  renameTrack,
  resolveDoc,
  watchLayoutMerge,
  type Editor,
} from '../src/core/console/index.ts';
import { exportXml, exportXmlText, importXml } from '../src/core/xml/index.ts';
import { seededRandom } from '../tests/support/signals.ts';

const PEERS = 5;
const OPS = Number(process.env.BENCH_OPS ?? 2000);
const STRIPS = 256;

const rnd = seededRandom(11);
const int = (n: number) => Math.floor(rnd() * n);
const names = Array.from({ length: 300 }, (_, i) => `Track ${i + 1}`);
const xml = createLayoutXml([
  {
    name: 'Show',
    surface: 'S6',
    strips: Array.from({ length: STRIPS }, (_, i) => ({ slot: i + 1, track: i < 200 ? names[i]! : null })),
  },
]);

const base = new Y.Doc();
importXml(base, new TextEncoder().encode(xml), 'show.layout.xml');
const initial = Y.encodeStateAsUpdate(base);

interface Peer {
  doc: Y.Doc;
  ed: Editor;
  online: boolean;
  /** Operations this peer made while offline, and operations others made meanwhile. */
  made: number;
  missed: number;
}

/**
 * A relay as y-websocket runs it: an online peer's every update goes to the relay, which passes
 * it on to every other online peer (reconcile writes it causes travel the same way). A peer
 * coming back online syncs with the relay by state vectors (sync steps 1 and 2).
 */
const RELAY = { relay: true };
const relay = new Y.Doc();
Y.applyUpdate(relay, initial, RELAY);
const queue: Array<{ from: Peer; update: Uint8Array }> = [];

const peers: Peer[] = Array.from({ length: PEERS }, (_, i) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial, RELAY);
  watchLayoutMerge(doc);
  const p: Peer = { doc, ed: { who: `Engineer ${i + 1}`, now: 0 }, online: true, made: 0, missed: 0 };
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== RELAY && p.online) queue.push({ from: p, update });
  });
  return p;
});
const layout = readLayouts(peers[0]!.doc)[0]!.id;

const online: number[] = [];
const batched: number[] = [];
/** CPU time of the same applications: steadier than the clock on a shared, loaded machine. */
const onlineCpu: number[] = [];

/** Applies an update to a peer, timed; `ops` is how many operations it carries. */
function apply(to: Peer, update: Uint8Array, ops: number, into: number[]): void {
  const t = performance.now();
  const cpu = process.cpuUsage();
  Y.applyUpdate(to.doc, update, RELAY);
  into.push((performance.now() - t) / Math.max(1, ops));
  if (into === online) {
    const used = process.cpuUsage(cpu);
    onlineCpu.push((used.user + used.system) / 1000);
  }
}

function pump(): void {
  while (queue.length) {
    const { from, update } = queue.shift()!;
    Y.applyUpdate(relay, update, RELAY);
    for (const q of peers) if (q !== from && q.online) apply(q, update, 1, online);
  }
}

function reconnect(p: Peer): void {
  p.online = true;
  const up = Y.encodeStateAsUpdate(p.doc, Y.encodeStateVector(relay));
  Y.applyUpdate(relay, up, RELAY);
  for (const q of peers) if (q !== p && q.online) apply(q, up, p.made, batched);
  apply(p, Y.encodeStateAsUpdate(relay, Y.encodeStateVector(p.doc)), p.missed, batched);
  p.made = 0;
  p.missed = 0;
  pump();
}

const started = performance.now();
for (let step = 0; step < PEERS * OPS; step++) {
  const p = peers[step % PEERS]!;
  p.ed = { ...p.ed, now: step };
  const doc = p.doc;
  const slot = 1 + int(STRIPS);
  const r = rnd();
  if (r < 0.35) placeTrack(doc, layout, slot, names[int(names.length)]!, p.ed);
  else if (r < 0.8) moveStrip(doc, layout, 1 + int(STRIPS), slot, p.ed);
  else if (r < 0.92) clearStrip(doc, layout, slot, p.ed);
  else if (r < 0.94) addPaletteTrack(doc, layout, `New ${step}`, p.ed);
  else {
    const mine = resolveDoc(doc).tracks;
    if (mine.length) renameTrack(doc, layout, mine[int(mine.length)]!.id, `Renamed ${step}`, p.ed);
  }
  if (!p.online) p.made++;
  for (const q of peers) if (q !== p && !q.online) q.missed++;
  pump();
  // Random offline periods: a peer drops off for a while, then catches up both ways.
  if (rnd() < 0.004) {
    const q = peers[int(PEERS)]!;
    if (q.online) q.online = false;
  } else if (rnd() < 0.01) {
    const q = peers.find((x) => !x.online);
    if (q) reconnect(q);
  }
}
for (const p of peers) if (!p.online) reconnect(p);
const elapsed = (performance.now() - started) / 1000;

const text = exportXmlText(peers[0]!.doc);
for (const p of peers) if (exportXmlText(p.doc) !== text) throw new Error('peers did not converge');
const once = new Y.Doc();
importXml(once, exportXml(peers[0]!.doc), 'show.layout.xml');
const finalSize = Y.encodeStateAsUpdate(peers[0]!.doc).length;
const onceSize = Y.encodeStateAsUpdate(once).length;

/**
 * The floor any Yjs document pays for the same number of edits: one last-writer-wins write per
 * operation (a strip's track in a bare Y.Map, no registers, no XML), every update forwarded.
 * An overwritten value leaves a tombstone of a few bytes, so this grows with the operations too.
 */
function floorSize(): number {
  const docs = Array.from({ length: PEERS }, () => new Y.Doc());
  for (const d of docs)
    d.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== RELAY) for (const o of docs) if (o !== d) Y.applyUpdate(o, u, RELAY);
    });
  const r = seededRandom(12);
  for (let step = 0; step < PEERS * OPS; step++)
    docs[step % PEERS]!.getMap('strips').set(String(1 + Math.floor(r() * STRIPS)), `Track ${Math.floor(r() * 300)}`);
  return Y.encodeStateAsUpdate(docs[0]!).length;
}
const floor = floorSize();

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const q = (xs: number[], f: number) => {
  const s = sorted(xs);
  return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))]! : NaN;
};
const ms = (v: number) => `${v.toFixed(3)} ms`;
const rows: Array<[string, string]> = [
  ['peers x operations', `${PEERS} x ${OPS}`],
  ['remote op applied, online (median)', ms(q(online, 0.5))],
  ['remote op applied, online (p95)', ms(q(online, 0.95))],
  ['remote op applied, online, CPU time (median / p95)', `${ms(q(onlineCpu, 0.5))} / ${ms(q(onlineCpu, 0.95))}`],
  ['remote op after offline, per op in batch (median)', ms(q(batched, 0.5))],
  ['updates applied (online / batches)', `${online.length} / ${batched.length}`],
  ['whole run (all peers, wall clock)', `${elapsed.toFixed(1)} s`],
  ['final document (encoded)', `${(finalSize / 1024).toFixed(1)} KiB`],
  ['same layout written once', `${(onceSize / 1024).toFixed(1)} KiB`],
  ['growth', `${(finalSize / onceSize).toFixed(2)}x`],
  ['lost intents reported', String(recordedLostIntents(peers[0]!.doc).length)],
  [
    'floor: written once + one plain Yjs write per op',
    `${((onceSize + floor) / 1024).toFixed(1)} KiB (${((onceSize + floor) / onceSize).toFixed(2)}x)`,
  ],
];
const width = Math.max(...rows.map(([k]) => k.length));
console.log('bench:merge (issue 11 goals: < 1 ms median per remote op, <= 3x size)');
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
if (process.env.BENCH_SIZES) {
  const d = peers[0]!.doc;
  const m = d.getMap('layout-merge');
  const kinds = new Map<string, [number, number]>();
  for (const [k, v] of m.entries()) {
    const x = kinds.get(k[0]!) ?? [0, 0];
    x[0]++;
    x[1] += k.length + JSON.stringify(v).length;
    kinds.set(k[0]!, x);
  }
  console.log('merge map keys by kind (count, approx bytes):', Object.fromEntries(kinds));
  const edits = d.getMap('xml').get('edits') as Y.Map<unknown>;
  console.log(
    'xml edits:',
    edits.size,
    'approx bytes',
    [...edits.entries()].reduce((a, [k, v]) => a + k.length + JSON.stringify(v).length, 0),
  );
  const sv = Y.encodeStateVector(d);
  console.log('delete set / structs: full', Y.encodeStateAsUpdate(d).length, 'state vector', sv.length);
  const fresh = new Y.Doc();
  fresh.gc = true;
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(d));
  console.log('snapshot-free re-encode', Y.encodeStateAsUpdate(fresh).length);
}
