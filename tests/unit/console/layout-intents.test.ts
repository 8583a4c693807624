/**
 * Layout merges keep what each person meant (docs/merge.md): a track is an entity, separate
 * from the strip it sits on; when two people want one strip, the later move keeps it, the other
 * track goes back where it came from (or to the palette), and both people are told.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  clearStrip,
  describeLostIntent,
  layoutTracks,
  moveStrip,
  placeTrack,
  readLayouts,
  reconcileLayouts,
  recordedLostIntents,
  removeLayoutTracked,
  renameTrack,
  watchLayoutMerge,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml, setAttribute } from '../../../src/core/xml/index.ts';

const BASE = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<MixdeskLayouts version="1">',
  '  <Layout name="Drums">',
  '    <Strip slot="10" track="Kick"/>',
  '    <Strip slot="11" track="Snare"/>',
  '  </Layout>',
  '</MixdeskLayouts>',
  '',
].join('\n');

function pair(clientIds = [1000, 2000]): [Y.Doc, Y.Doc] {
  const base = new Y.Doc();
  importXml(base, new TextEncoder().encode(BASE), 'layouts.xml');
  const state = Y.encodeStateAsUpdate(base);
  return clientIds.map((id) => {
    const d = new Y.Doc();
    d.clientID = id;
    Y.applyUpdate(d, state);
    return d;
  }) as [Y.Doc, Y.Doc];
}

/** Exchanges everything both ways, then each side reconciles as its watcher would, until quiet. */
function sync(a: Y.Doc, b: Y.Doc): void {
  for (let i = 0; i < 3; i++) {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    reconcileLayouts(a);
    reconcileLayouts(b);
  }
}

const strips = (doc: Y.Doc) =>
  Object.fromEntries(
    readLayouts(doc)[0]!
      .strips.filter((s) => s.track)
      .map((s) => [s.slot, s.track]),
  );
const alice = { who: 'Alice', now: 1 };
const bob = { who: 'Bob', now: 2 };

// Regression: Alice moved Kick from strip 10 to 20 while Bob put BV on strip 20; both screens
// converged on BV on 20 and Kick gone from every strip and from the palette, and nobody was told.
test('Kick/BV: a concurrent move and assignment to one strip keep both tracks and tell both people', () => {
  for (const ids of [
    [1000, 2000],
    [2000, 1000],
  ]) {
    const [a, b] = pair(ids);
    const layout = readLayouts(a)[0]!.id;
    moveStrip(a, layout, 10, 20, alice);
    placeTrack(b, layout, 20, 'BV', bob);
    sync(a, b);
    assert.is(exportXmlText(a), exportXmlText(b), 'converged');
    const placed = strips(a);
    const names = Object.values(placed);
    assert.ok(names.includes('Kick'), `Kick still on a strip: ${JSON.stringify(placed)}`);
    assert.ok(
      names.includes('BV') || layoutTracks(a, layout).unassigned.some((t) => t.name === 'BV'),
      'BV on a strip or in the palette',
    );
    assert.equal(names.filter((n) => n === 'Snare').length, 1);
    const lost = recordedLostIntents(a);
    assert.equal(lost, recordedLostIntents(b), 'both people see the same report');
    assert.is(lost.length, 1);
    const text = describeLostIntent(lost[0]!);
    // Whichever move was later keeps strip 20; the other track goes back to its previous strip.
    if (placed[20] === 'BV') {
      assert.is(placed[10], 'Kick');
      assert.match(text, /^Kick went back to strip 10: Bob put BV on strip 20/);
    } else {
      assert.is(placed[20], 'Kick');
      assert.equal(
        layoutTracks(a, layout).unassigned.map((t) => t.name),
        ['BV'],
      );
      assert.match(text, /^BV went back to the palette: Alice put Kick on strip 20/);
    }
  }
});

test('a loser whose previous strip was taken goes to the palette, and stays there when the winner moves on', () => {
  const [a, b] = pair();
  const layout = readLayouts(a)[0]!.id;
  moveStrip(a, layout, 10, 20, alice); // Kick 10 -> 20
  placeTrack(b, layout, 10, 'Tom', bob); // strip 10 taken (Kick was there; Bob's view)
  placeTrack(b, layout, 20, 'BV', { who: 'Bob', now: 3 }); // later than Alice's move
  sync(a, b);
  const { unassigned, onStrip } = layoutTracks(a, layout);
  assert.is(onStrip.get(20)?.name, 'BV');
  assert.is(onStrip.get(10)?.name, 'Tom');
  assert.equal(
    unassigned.map((t) => t.name),
    ['Kick'],
  );
  moveStrip(a, layout, 20, 30, alice);
  sync(a, b);
  assert.equal(
    layoutTracks(b, layout).unassigned.map((t) => t.name),
    ['Kick'],
    'the settled place holds',
  );
});

test('a concurrent swap and clear keep every track', () => {
  const [a, b] = pair();
  const layout = readLayouts(a)[0]!.id;
  moveStrip(a, layout, 10, 11, alice); // swap Kick and Snare
  clearStrip(b, layout, 11, bob); // Snare to the palette
  sync(a, b);
  const res = layoutTracks(a, layout);
  const all = [...res.onStrip.values(), ...res.unassigned].map((t) => t.name).sort();
  assert.equal(all, ['Kick', 'Snare']);
  assert.is(exportXmlText(a), exportXmlText(b));
});

test('concurrent renames of one track: one name wins everywhere, the other is reported', () => {
  const [a, b] = pair();
  const layout = readLayouts(a)[0]!.id;
  const kick = layoutTracks(a, layout).onStrip.get(10)!.id;
  renameTrack(a, layout, kick, 'Kick In', alice);
  renameTrack(b, layout, kick, 'Kick Sub', bob);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.ok(['Kick In', 'Kick Sub'].includes(strips(a)[10]!));
  assert.is(recordedLostIntents(a).filter((l) => l.kind === 'rename').length, 1);
});

test('removing a layout while someone moves a track in it reports the lost move', () => {
  const [a, b] = pair();
  const layout = readLayouts(a)[0]!.id;
  removeLayoutTracked(a, layout, alice);
  moveStrip(b, layout, 10, 12, bob);
  sync(a, b);
  assert.equal(readLayouts(a), []);
  assert.is(exportXmlText(a), exportXmlText(b));
  const lost = recordedLostIntents(b);
  assert.ok(lost.some((l) => l.kind === 'layout-removed' && l.loser.who === 'Bob'));
});

test('an untouched layout exports byte for byte; an edit changes only its strips', () => {
  const [a] = pair();
  assert.is(exportXmlText(a), BASE);
  reconcileLayouts(a);
  assert.is(exportXmlText(a), BASE, 'reconcile writes nothing before anyone edits');
  const layout = readLayouts(a)[0]!.id;
  placeTrack(a, layout, 12, 'Hat', alice);
  assert.is(exportXmlText(a), BASE.replace('"Snare"/>\n', '"Snare"/>\n    <Strip slot="12" track="Hat"/>\n'));
});

// Regression: after the layout editor was used on a layout, editing a strip's `track` attribute
// in the raw XML tree was overwritten by the stored placements at the next merge.
test("a raw XML edit of a strip's track after the layout editor was used becomes a placement and survives merges", () => {
  const [a, b] = pair();
  for (const d of [a, b]) watchLayoutMerge(d, () => (d === a ? alice : bob));
  const layout = readLayouts(a)[0]!.id;
  placeTrack(a, layout, 12, 'Hat', alice);
  sync(a, b);
  // Alice edits the XML itself: strip 11 now says Tom (Snare was there).
  const strip11 = readLayouts(a)[0]!.strips.find((s) => s.slot === 11)!.id;
  a.transact(() => setAttribute(a, strip11, 'track', 'Tom'), { editor: 'tree' });
  // Bob, meanwhile, moves Kick; then both merge.
  moveStrip(b, layout, 10, 20, bob);
  sync(a, b);
  assert.equal(strips(a), { 11: 'Tom', 12: 'Hat', 20: 'Kick' });
  assert.is(exportXmlText(a), exportXmlText(b));
  const tracks = layoutTracks(b, layout);
  assert.is(tracks.onStrip.get(11)?.name, 'Tom');
  assert.ok(
    tracks.unassigned.some((t) => t.name === 'Snare'),
    'the track it replaced went back to the palette',
  );
  // A later edit in the layout editor keeps it too.
  clearStrip(b, layout, 12, bob);
  sync(a, b);
  assert.equal(strips(a), { 11: 'Tom', 20: 'Kick' });
});

test.run();
