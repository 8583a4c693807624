/**
 * The layout merge promise under random concurrency (docs/merge.md): 2-5 peers make random
 * moves, swaps, assignments (also of new tracks, also at one slot), clears, palette adds,
 * renames, track deletions and layout removals, with random offline periods and partial,
 * out-of-order exchanges; every peer reconciles on receipt, as the editor does. After everyone
 * has heard from everyone: all peers have the same file and layout, every track nobody deleted
 * is still there (on a strip or in the palette), no strip holds two tracks, and every intent
 * that lost is in the recorded history. Prints its seed on failure; rerun one seed with
 * MERGE_SEED=<n>.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  addPaletteTrack,
  clearStrip,
  deleteTrack,
  mergeMap,
  mergeStateOf,
  moveStrip,
  placeTrack,
  readLayouts,
  recordedLostIntents,
  removeLayoutTracked,
  renameTrack,
  resolveDoc,
  watchLayoutMerge,
  winnerOf,
  type Editor,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml } from '../../../src/core/xml/index.ts';
import { seededRandom } from '../../support/xml-corpus.ts';

const BASE = [
  '<MixdeskLayouts version="1">',
  '  <Layout name="A">',
  '    <Strip slot="1" track="Kick"/>',
  '    <Strip slot="2" track="Snare"/>',
  '    <Strip slot="3"/>',
  '    <Strip slot="5" track="Bass"/>',
  '  </Layout>',
  '  <Layout name="B">',
  '    <Strip slot="1" track="Vox"/>',
  '    <Strip slot="4" track="BV"/>',
  '  </Layout>',
  '</MixdeskLayouts>',
  '',
].join('\n');

const NAMES = ['Kick', 'Snare', 'Bass', 'Vox', 'BV', 'Tom', 'Hat', 'Gtr'];
const SLOTS = 8;

interface Peer {
  doc: Y.Doc;
  ed: Editor;
  online: boolean;
}

function send(from: Y.Doc, to: Y.Doc): void {
  const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(to));
  if (update.length > 2) Y.applyUpdate(to, update, 'remote');
}

export function runMergeSeed(seed: number): void {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const count = 2 + int(4);
  const base = new Y.Doc();
  importXml(base, new TextEncoder().encode(BASE), 'layouts.xml');
  const state = Y.encodeStateAsUpdate(base);
  const peers: Peer[] = Array.from({ length: count }, (_, i) => {
    const doc = new Y.Doc();
    doc.clientID = 1 + i + count * int(2 ** 28);
    Y.applyUpdate(doc, state);
    watchLayoutMerge(doc);
    return { doc, ed: { who: `P${i}`, now: 0 }, online: true };
  });
  const removedLayouts = new Set<string>();
  const deletedTracks = new Set<string>();
  const steps = 8 + int(25);
  for (let step = 0; step < steps; step++) {
    const p = pick(peers);
    p.ed = { ...p.ed, now: step };
    const doc = p.doc;
    const live = readLayouts(doc).map((l) => l.id);
    if (live.length === 0) break;
    const layout = pick(live);
    const slot = 1 + int(SLOTS);
    const mine = resolveDoc(doc).tracks.filter((t) => t.layout === layout);
    const r = rnd();
    if (r < 0.3) placeTrack(doc, layout, slot, pick(NAMES), p.ed);
    else if (r < 0.55) moveStrip(doc, layout, 1 + int(SLOTS), slot, p.ed);
    else if (r < 0.65) clearStrip(doc, layout, slot, p.ed);
    else if (r < 0.72) addPaletteTrack(doc, layout, pick(NAMES), p.ed);
    else if (r < 0.82 && mine.length) renameTrack(doc, layout, pick(mine).id, `${pick(NAMES)}${int(3)}`, p.ed);
    else if (r < 0.88 && mine.length) {
      const t = pick(mine);
      deleteTrack(doc, layout, t.id, p.ed);
      deletedTracks.add(t.id);
    } else if (r < 0.9) {
      removeLayoutTracked(doc, layout, p.ed);
      removedLayouts.add(layout);
    }
    // Peers drop off and come back; the online ones exchange updates in random directions.
    if (rnd() < 0.25) {
      const q = pick(peers);
      q.online = !q.online;
    }
    const exchanges = int(3);
    for (let i = 0; i < exchanges; i++) {
      const a = pick(peers);
      const b = pick(peers);
      if (a !== b && a.online && b.online) send(a.doc, b.doc);
    }
  }
  // Everyone back online; exchange until nothing changes (reconcile writes travel too).
  for (let round = 0; round < 6; round++) for (const a of peers) for (const b of peers) if (a !== b) send(a.doc, b.doc);
  const docs = peers.map((p) => p.doc);
  const text = exportXmlText(docs[0]!);
  const res = resolveDoc(docs[0]!);
  for (const d of docs) {
    assert.is(exportXmlText(d), text, 'same file on every peer');
    assert.equal(resolveDoc(d), res, 'same resolution on every peer');
  }
  const doc = docs[0]!;
  // No strip holds two tracks, and the XML shows exactly the resolution.
  const onStrip = new Set<string>();
  for (const t of res.tracks) {
    if (t.strip === null) continue;
    const key = `${t.layout}:${t.strip}`;
    assert.not.ok(onStrip.has(key), `two tracks on ${key}`);
    onStrip.add(key);
  }
  for (const l of readLayouts(doc)) {
    const xml = l.strips
      .filter((s) => s.track)
      .map((s) => `${s.slot}=${s.track}`)
      .sort();
    const want = res.tracks
      .filter((t) => t.layout === l.id && t.strip !== null)
      .map((t) => `${t.strip}=${t.name}`)
      .sort();
    assert.equal(xml, want, `layout ${l.id} XML shows the resolution`);
  }
  // Tracks: created minus explicitly deleted (a removed layout takes its tracks).
  const merge = mergeStateOf(doc);
  const gone = new Set([
    ...deletedTracks,
    ...[...merge.tracks].filter(([, r]) => removedLayouts.has(r.layout)).map(([id]) => id),
  ]);
  const expected = [...merge.tracks.keys()].filter((id) => !gone.has(id)).sort();
  if (process.env.MERGE_DEBUG)
    console.log(
      text,
      [...removedLayouts],
      [...deletedTracks],
      readLayouts(doc).map((l) => l.id),
      [...merge.layoutsRemoved.keys()],
    );
  assert.equal(res.tracks.map((t) => t.id).sort(), expected, 'every track nobody deleted is present');
  // Every intent that lost is recorded.
  const recorded = new Set(recordedLostIntents(doc).map((l) => l.id));
  for (const l of res.lost) assert.ok(recorded.has(l.id), `lost intent ${l.id} recorded`);
  for (const t of res.tracks) {
    const win = winnerOf(merge.strips.get(t.id));
    if (!win) continue;
    if (win.c % 1 !== 0)
      assert.ok(recorded.has(`${t.id}@${Math.floor(win.c)}.${win.at}`), `settled track ${t.id} recorded`);
    else assert.is(t.strip, win.v, `track ${t.id} where its last move put it`);
  }
  assert.ok(mergeMap(doc).size > 0);
}

const seeds = process.env.MERGE_SEED
  ? [Number(process.env.MERGE_SEED)]
  : Array.from({ length: 500 }, (_, i) => 9000 + i);

test(`random concurrent layout edits on 2-5 peers with offline periods keep every track (${seeds.length} seeds)`, () => {
  const started = Date.now();
  for (const seed of seeds) {
    try {
      runMergeSeed(seed);
    } catch (err) {
      console.error(`layout intent property failure with MERGE_SEED=${seed}`);
      throw err;
    }
  }
  console.log(`  ${seeds.length} seeds in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

test.run();
