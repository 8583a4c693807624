/**
 * Versions read like a session log: strips by number and track, keys by label and field; a
 * restored version leaves nothing to report, and the layout registers do not undo a Restore.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { readFileSync } from 'node:fs';
import {
  editField,
  findKeysByLabel,
  humanChanges,
  moveStrip,
  placeTrack,
  readLayouts,
  setStripColour,
  reconcileLayouts,
  readField,
  watchFieldMerge,
  watchLayoutMerge,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml } from '../../../src/core/xml/index.ts';
import { humanDiffBetween, restoreVersion, saveVersion } from '../../../src/features/console/versions.ts';

const ed = { who: 'Ana', now: 1 };
const layoutDoc = () => {
  const doc = new Y.Doc();
  importXml(doc, readFileSync(new URL('../../fixtures/console/Show.layout.xml', import.meta.url)), 'Show.layout.xml');
  return doc;
};

test('layout changes are worded by layout, strip and track', () => {
  const doc = layoutDoc();
  const v = saveVersion(doc, 'Soundcheck', 'Ana');
  const drums = readLayouts(doc)[0]!.id;
  placeTrack(doc, drums, 20, 'BV', ed);
  moveStrip(doc, drums, 1, 3, ed);
  assert.equal(humanDiffBetween(doc, v, null), [
    'Drums, strip 1: Kick -> (blank)',
    'Drums, strip 3: (blank) -> Kick',
    'Drums, strip 20: (blank) -> BV',
  ]);
});

test('strip colour changes are reported with the strip, so a version that only recolours still shows', () => {
  const doc = layoutDoc();
  const drums = readLayouts(doc)[0]!.id;
  setStripColour(doc, drums, 2, 'blue', ed);
  const v = saveVersion(doc, 'Soundcheck', 'Ana');
  setStripColour(doc, drums, 1, 'red', ed);
  setStripColour(doc, drums, 2, null, ed);
  assert.equal(humanDiffBetween(doc, v, null), [
    'Drums, strip 1 colour: (none) -> red',
    'Drums, strip 2 colour: blue -> (none)',
  ]);
});

test('a restored version reports no change, and stays restored when the registers reconcile', () => {
  const doc = layoutDoc();
  const v = saveVersion(doc, 'Soundcheck', 'Ana');
  const text = exportXmlText(doc);
  const drums = readLayouts(doc)[0]!.id;
  placeTrack(doc, drums, 20, 'BV', ed);
  doc.transact(() => restoreVersion(doc, v));
  reconcileLayouts(doc);
  assert.equal(humanDiffBetween(doc, v, null), []);
  assert.is(exportXmlText(doc), text);
});

// Regression: with the editor's merge watchers running, a Restore's strips were taken for raw
// XML edits and turned into placements (the layout stayed seeded after its registers were cleared).
test('a restore with the merge watchers running stays restored, layout and key labels alike', () => {
  const doc = layoutDoc();
  watchLayoutMerge(doc, () => ed);
  const drums = readLayouts(doc)[0]!.id;
  placeTrack(doc, drums, 20, 'BV', ed);
  moveStrip(doc, drums, 2, 4, ed);
  const v = saveVersion(doc, 'Soundcheck', 'Ana');
  const text = exportXmlText(doc);
  moveStrip(doc, drums, 20, 22, ed);
  moveStrip(doc, drums, 1, 3, ed);
  doc.transact(() => restoreVersion(doc, v), { editor: 'console' });
  assert.is(exportXmlText(doc), text);
  assert.equal(humanDiffBetween(doc, v, null), []);

  const keys = new Y.Doc();
  importXml(keys, readFileSync(new URL('../../fixtures/console/Pro Tools.xml', import.meta.url)), 'Pro Tools.xml');
  watchFieldMerge(keys);
  const saved = saveVersion(keys, 'Start', 'Ana');
  const save = findKeysByLabel(keys, 'Save')[0]!.id;
  editField(keys, save, 'label', 'Save All', ed);
  keys.transact(() => restoreVersion(keys, saved), { editor: 'console' });
  assert.is(readField(keys, save, 'label'), 'Save');
  editField(keys, save, 'label', 'Save It', ed);
  assert.is(readField(keys, save, 'label'), 'Save It', 'the next edit starts from the restored label');
});

test('key fields are worded by label and field', () => {
  const before = new Y.Doc();
  importXml(before, readFileSync(new URL('../../fixtures/console/Pro Tools.xml', import.meta.url)), 'Pro Tools.xml');
  const after = new Y.Doc();
  Y.applyUpdate(after, Y.encodeStateAsUpdate(before));
  editField(after, findKeysByLabel(after, 'Save')[0]!.id, 'label', 'Save A', ed);
  assert.ok(
    humanChanges(before, after).includes("Key 'Save' label: 'Save' -> 'Save A'"),
    humanChanges(before, after).join('\n'),
  );
});

test.run();
