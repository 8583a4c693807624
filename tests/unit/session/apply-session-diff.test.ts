/**
 * Applying a layout check against a newer session (issue 15, part 3) on a real console Y.Doc:
 * renamed tracks keep their strip, removed ones go to the palette, new ones take free strips
 * (or the palette), all as one edit that one undo takes back.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { fieldMap, layoutTracks, mergeMap, readLayouts, watchLayoutMerge } from '../../../src/core/console/index.ts';
import {
  applySessionDiff,
  diffLayoutAgainstSession,
  layoutTracksForDiff,
  sessionNamesForLayout,
} from '../../../src/core/session/index.ts';
import { exportXmlText, importXml, XML_ROOT } from '../../../src/core/xml/index.ts';

const LAYOUT = (strips: string[]) =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<MixdeskLayouts version="1">',
    '  <Layout name="Show">',
    ...strips.map((s) => `    ${s}`),
    '  </Layout>',
    '</MixdeskLayouts>',
    '',
  ].join('\n');

const ED = { who: 'Ana', now: 1 };
const ORIGIN = { editor: 'console' };

/** A console document as the editor has it: merge watcher and an undo manager on its origin. */
function consoleDoc(xml: string) {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(xml), 'show.xml');
  const unwatch = watchLayoutMerge(doc, () => ED);
  const undo = new Y.UndoManager([doc.getMap(XML_ROOT), mergeMap(doc), fieldMap(doc)], {
    trackedOrigins: new Set([ORIGIN]),
    captureTimeout: 0,
  });
  const layout = readLayouts(doc)[0]!.id;
  return { doc, undo, layout, unwatch };
}

const stripsOf = (doc: Y.Doc) => readLayouts(doc)[0]!.strips.map((s) => `${s.slot}:${s.track ?? '-'}`);
const paletteOf = (doc: Y.Doc, layout: string) =>
  layoutTracks(doc, layout)
    .unassigned.map((t) => t.name)
    .sort();

const SHOW = LAYOUT([
  '<Strip slot="1" track="Kick"/>',
  '<Strip slot="2" track="Snare Top"/>',
  '<Strip slot="3" track="Cowbell"/>',
  '<Strip slot="4" track="Lead Vox"/>',
  '<Strip slot="5"/>',
  '<Strip slot="6"/>',
]);

/** The newer session: Snare Top and Lead Vox renamed, Cowbell gone, three toms and a click new. */
const NEWER_SESSION = ['Kick', 'Snare Top 2', 'Lead Vocal', 'Tom 1', 'Tom 2', 'Tom 3', 'Click'];

test('rename keeps the strip, removed goes to the palette, new tracks take free strips; one undo takes it all back', () => {
  const { doc, undo, layout } = consoleDoc(SHOW);
  const before = exportXmlText(doc);
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), NEWER_SESSION);
  assert.equal(
    diff.renamed.map((r) => `${r.from}->${r.to}`),
    ['Snare Top->Snare Top 2', 'Lead Vox->Lead Vocal'],
  );
  assert.equal(
    diff.removed.map((r) => r.name),
    ['Cowbell'],
  );
  const applied = applySessionDiff(doc, layout, diff, ED, ORIGIN);
  // Cowbell's strip 3 is free now, then 5 and 6; the fourth new track has no strip left.
  assert.equal(applied.placed, [
    { name: 'Tom 1', strip: 3 },
    { name: 'Tom 2', strip: 5 },
    { name: 'Tom 3', strip: 6 },
  ]);
  assert.equal(applied.unassigned, ['Click']);
  assert.equal(stripsOf(doc), ['1:Kick', '2:Snare Top 2', '3:Tom 1', '4:Lead Vocal', '5:Tom 2', '6:Tom 3']);
  assert.equal(paletteOf(doc, layout), ['Click', 'Cowbell']);
  // Checking again against the same session: nothing left to change (Click and Cowbell are in
  // the palette; Cowbell is no session track, so it is still listed as removed, and stays).
  const again = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), NEWER_SESSION);
  assert.equal(again.added, []);
  assert.equal(again.renamed, []);
  assert.equal(
    again.removed.map((r) => [r.name, r.strip]),
    [['Cowbell', null]],
  );

  assert.is(undo.undoStack.length, 1, 'one undoable edit');
  undo.undo();
  assert.is(exportXmlText(doc), before);
  assert.equal(paletteOf(doc, layout), []);
  undo.redo();
  assert.equal(stripsOf(doc), ['1:Kick', '2:Snare Top 2', '3:Tom 1', '4:Lead Vocal', '5:Tom 2', '6:Tom 3']);
});

test('a second copy of a name in the session is a new track of its own, not the layout one moved', () => {
  const { doc, layout } = consoleDoc(LAYOUT(['<Strip slot="1" track="Vox"/>', '<Strip slot="2"/>']));
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), ['Vox', 'Vox']);
  applySessionDiff(doc, layout, diff, ED, ORIGIN);
  assert.equal(stripsOf(doc), ['1:Vox', '2:Vox']);
});

test('a track a collaborator changed since the check was shown is left alone', () => {
  const { doc, layout } = consoleDoc(SHOW);
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), ['Kick', 'Snare Top 2', 'Lead Vox']);
  // Meanwhile Snare Top became "Snare" elsewhere and Cowbell moved to the palette.
  const snare = diff.renamed[0]!.id;
  applySessionDiff(
    doc,
    layout,
    { removed: [], added: [], renamed: [{ id: snare, from: 'Snare Top', to: 'Snare', strip: 2, index: 1 }] },
    ED,
  );
  const applied = applySessionDiff(doc, layout, diff, ED, ORIGIN);
  assert.equal(applied, { placed: [], unassigned: [] });
  assert.equal(stripsOf(doc), ['1:Kick', '2:Snare', '3:-', '4:Lead Vox', '5:-', '6:-']);
  assert.equal(paletteOf(doc, layout), ['Cowbell']);
});

test('no free strip: every new track goes to the palette, none is lost', () => {
  const { doc, layout } = consoleDoc(LAYOUT(['<Strip slot="1" track="Kick"/>']));
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), ['Kick', 'Bass', 'Gtr']);
  const applied = applySessionDiff(doc, layout, diff, ED, ORIGIN);
  assert.equal(applied.unassigned, ['Bass', 'Gtr']);
  assert.equal(stripsOf(doc), ['1:Kick']);
  assert.equal(paletteOf(doc, layout), ['Bass', 'Gtr']);
});

test('a checked layout keeps each strip colour where its track was renamed or kept', () => {
  const { doc, layout, unwatch } = consoleDoc(
    LAYOUT([
      '<Strip slot="1" track="Kick" colour="red"/>',
      '<Strip slot="2" track="Snare Top" colour="blue"/>',
      '<Strip slot="3" track="Lead Vox" colour="#aa33cc"/>',
      '<Strip slot="4"/>',
    ]),
  );
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, layout), [
    'Kick',
    'Snare Top 2',
    'Lead Vocal',
    'Choir',
  ]);
  applySessionDiff(doc, layout, diff, ED, ORIGIN);
  assert.equal(
    readLayouts(doc)[0]!.strips.map((s) => `${s.slot}:${s.track ?? '-'}:${s.colour ?? '-'}`),
    ['1:Kick:red', '2:Snare Top 2:blue', '3:Lead Vocal:#aa33cc', '4:Choir:-'],
  );
  unwatch();
});

test.run();

test('a session spread over several layouts: tracks on the other layouts are not new to this one', () => {
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<MixdeskLayouts version="1">',
    '  <Layout name="Show 1-2">',
    '    <Strip slot="1" track="Kick"/>',
    '    <Strip slot="2" track="Snare"/>',
    '  </Layout>',
    '  <Layout name="Show 3-4">',
    '    <Strip slot="1" track="Bass"/>',
    '    <Strip slot="2" track="Kick"/>',
    '  </Layout>',
    '</MixdeskLayouts>',
    '',
  ].join('\n');
  const { doc } = consoleDoc(xml);
  const [first, second] = readLayouts(doc).map((l) => l.id);
  const session = ['Kick', 'Snare', 'Bass', 'Choir'];
  // Bass sits on the second layout: only Choir is new to the first.
  assert.equal(sessionNamesForLayout(doc, first!, session), ['Kick', 'Snare', 'Choir']);
  const diff = diffLayoutAgainstSession(layoutTracksForDiff(doc, first!), sessionNamesForLayout(doc, first!, session));
  assert.equal(
    diff.added.map((a) => a.name),
    ['Choir'],
  );
  // Kick is on both layouts: it still pairs up on the second.
  assert.equal(sessionNamesForLayout(doc, second!, session), ['Kick', 'Bass', 'Choir']);
});
