/**
 * `npm run bench:merge`: 5 peers x 2,000 random layout operations (moves, swaps, assignments,
 * clears, palette adds, renames) on a 256-strip layout, with random offline periods, merged
 * through the layout intents (docs/merge.md). Prints:
 *   - time for a peer to apply one remote operation (Y update + reconcile), median and p95,
 *     online (one op per update) and after an offline period (a batch, per operation in it);
 *   - the final encoded document against the same layout written once (imported fresh);
 *   - how many lost intents were reported.
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
  ops: number;
}
const peers: Peer[] = Array.from({ length: PEERS }, (_, i) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  watchLayoutMerge(doc);
  return { doc, ed: { who: `Engineer ${i + 1}`, now: 0 }, online: true, ops: 0 };
});
const layout = readLayouts(peers[0]!.doc)[0]!.id;

const online: number[] = [];
const batched: number[] = [];

/** Sends `to` what `from` has; returns ms per operation carried. */
function deliver(from: Peer, to: Peer, ops: number, into: number[]): void {
  const update = Y.encodeStateAsUpdate(from.doc, Y.encodeStateVector(to.doc));
  if (update.length <= 2) return;
  const t = performance.now();
  Y.applyUpdate(to.doc, update, 'remote');
  into.push((performance.now() - t) / Math.max(1, ops));
}

/** Ops each peer has made since it was last in contact with everyone. */
const pending = new Map<Peer, number>(peers.map((p) => [p, 0]));

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
  pending.set(p, pending.get(p)! + 1);
  if (p.online) {
    for (const q of peers) if (q !== p && q.online) deliver(p, q, 1, online);
    if (peers.every((q) => q.online)) pending.set(p, 0);
  }
  // Random offline periods: a peer drops off for a while, then catches up both ways.
  if (rnd() < 0.004) {
    const q = peers[int(PEERS)]!;
    if (q.online) q.online = false;
  } else if (rnd() < 0.01) {
    const q = peers.find((x) => !x.online);
    if (q) {
      q.online = true;
      const carried = [...pending.values()].reduce((a, b) => a + b, 0);
      for (const a of peers)
        for (const b of peers) if (a !== b && a.online && b.online) deliver(a, b, carried, batched);
      if (peers.every((x) => x.online)) for (const x of peers) pending.set(x, 0);
    }
  }
}
for (const p of peers) p.online = true;
for (let round = 0; round < 3; round++)
  for (const a of peers) for (const b of peers) if (a !== b) deliver(a, b, 1, batched);

const text = exportXmlText(peers[0]!.doc);
for (const p of peers) if (exportXmlText(p.doc) !== text) throw new Error('peers did not converge');
const once = new Y.Doc();
importXml(once, exportXml(peers[0]!.doc), 'show.layout.xml');
const finalSize = Y.encodeStateAsUpdate(peers[0]!.doc).length;
const onceSize = Y.encodeStateAsUpdate(once).length;

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
  ['remote op after offline, per op in batch (median)', ms(q(batched, 0.5))],
  ['exchanges measured (online / batches)', `${online.length} / ${batched.length}`],
  ['final document (encoded)', `${(finalSize / 1024).toFixed(1)} KiB`],
  ['same layout written once', `${(onceSize / 1024).toFixed(1)} KiB`],
  ['growth', `${(finalSize / onceSize).toFixed(2)}x`],
  ['lost intents reported', String(recordedLostIntents(peers[0]!.doc).length)],
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
