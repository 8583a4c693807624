/**
 * Strip colours (issue 15, part 4): an optional `colour` attribute on `<Strip>`, read, written,
 * merged per strip between two people, and carried with a track when it moves to another strip.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  assignTrack,
  carryStripColours,
  fieldConflicts,
  fieldMap,
  createLayoutXml,
  mergeMap,
  moveStrip,
  placeTrack,
  readLayouts,
  setStripColour,
  stripColour,
  STRIP_COLOURS,
  watchFieldMerge,
  watchLayoutMerge,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml, XML_ROOT } from '../../../src/core/xml/index.ts';

const ED = { who: 'Ana', now: 1 };
const BEN = { who: 'Ben', now: 1 };

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

function load(text: string): Y.Doc {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(text), 'layouts.xml');
  return doc;
}

/** A one-layout document; `colour` values go into the file as they are, garbage included. */
const xml = (strips: Array<[slot: number, track: string | null, colour?: string]>) =>
  createLayoutXml([{ name: 'Show', strips: strips.map(([slot, track, colour]) => ({ slot, track, colour })) }]);

const coloursOf = (doc: Y.Doc) =>
  readLayouts(doc)[0]!.strips.map((s) => `${s.slot}:${s.track ?? '-'}:${s.colour ?? '-'}`);

test('a strip colour is written as an attribute and read back; strips without one are uncoloured', () => {
  const text = createLayoutXml([
    {
      name: 'Show',
      strips: [
        { slot: 1, track: 'Kick', colour: 'red' },
        { slot: 2, track: 'Snare' },
        { slot: 3, track: null, colour: 'blue' },
      ],
    },
  ]);
  assert.match(text, /<Strip slot="1" track="Kick" colour="red"\/>\n {4}<Strip slot="2" track="Snare"\/>/);
  assert.match(text, /<Strip slot="3" colour="blue"\/>/);
  assert.equal(coloursOf(load(text)), ['1:Kick:red', '2:Snare:-', '3:-:blue']);
});

test('garbage and unknown colours read as uncoloured and never throw; names and hex are normalised', () => {
  const doc = load(
    xml([
      [1, 'A', 'Dark Mauve'],
      [2, 'B', ''],
      [3, 'C', '<script>'],
      [4, 'D', ' Gray '],
      [5, 'E', '#A0B0C0'],
      [6, 'F', '#12'],
      [7, 'G', 'RED'],
    ]),
  );
  assert.equal(coloursOf(doc), ['1:A:-', '2:B:-', '3:C:-', '4:D:grey', '5:E:#a0b0c0', '6:F:-', '7:G:red']);
  assert.is(stripColour(null), null);
  assert.is(stripColour('off'), null);
});

test('every palette colour gets the ink (black or white) with the higher contrast, at least 4.5:1', () => {
  const lum = (hex: string) =>
    [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
      .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i]!, 0);
  for (const swatch of STRIP_COLOURS) {
    const c = stripColour(swatch.name)!;
    const [a, b] = [lum(c.css), lum(c.ink)].sort((x, y) => y - x);
    assert.ok((a! + 0.05) / (b! + 0.05) >= 4.5, `${swatch.name} with ${c.ink}`);
  }
  assert.is(stripColour('yellow')!.ink, '#000000');
  assert.is(stripColour('blue')!.ink, '#ffffff');
});

test('setting a colour changes one attribute; on an unlisted slot it adds a blank strip in order; clearing removes it', () => {
  const text = xml([
    [1, 'Kick'],
    [4, 'Vox'],
  ]);
  const doc = load(text);
  const layout = readLayouts(doc)[0]!.id;
  setStripColour(doc, layout, 1, 'Orange', ED);
  assert.is(exportXmlText(doc), text.replace('track="Kick"/>', 'track="Kick" colour="orange"/>'));
  setStripColour(doc, layout, 2, 'teal', ED);
  assert.equal(coloursOf(doc), ['1:Kick:orange', '2:-:teal', '4:Vox:-']);
  setStripColour(doc, layout, 1, null, ED);
  assert.equal(coloursOf(doc)[0], '1:Kick:-');
  assert.throws(() => setStripColour(doc, layout, 1, 'plaid', ED), /not a strip colour/);
  assert.throws(() => setStripColour(doc, layout, 0, 'red', ED), /outside 1-256/);
});

test('two people colouring different strips at once both keep their colour', () => {
  const ana = load(
    xml([
      [1, 'Kick'],
      [2, 'Snare'],
    ]),
  );
  const ben = new Y.Doc();
  Y.applyUpdate(ben, Y.encodeStateAsUpdate(ana));
  for (const doc of [ana, ben]) watchFieldMerge(doc);
  const layout = readLayouts(ana)[0]!.id;
  setStripColour(ana, layout, 1, 'red', ED);
  setStripColour(ben, layout, 2, 'blue', BEN);
  // Ben colours an unlisted slot while Ana fills it with a track: one strip (stable id per slot).
  setStripColour(ben, layout, 3, 'green', BEN);
  assignTrack(ana, layout, 3, 'Vox');
  sync(ana, ben);
  assert.equal(coloursOf(ana), ['1:Kick:red', '2:Snare:blue', '3:Vox:green']);
  assert.equal(coloursOf(ben), coloursOf(ana));
  assert.equal(fieldConflicts(ana, readLayouts(ana)[0]!.strips[0]!.id), []);
});

test('the same strip coloured by two people at once: the later edit wins everywhere, the other can be taken back', () => {
  const ana = load(xml([[1, 'Kick']]));
  const ben = new Y.Doc();
  Y.applyUpdate(ben, Y.encodeStateAsUpdate(ana));
  for (const doc of [ana, ben]) watchFieldMerge(doc);
  const layout = readLayouts(ana)[0]!.id;
  const strip = readLayouts(ana)[0]!.strips[0]!.id;
  setStripColour(ana, layout, 1, 'red', ED);
  sync(ana, ben);
  // Both change it before seeing the other's change; Ben made more edits meanwhile, so his is
  // later (Lamport time). Three, not two: field-merge takes an edit's time after dropping the
  // entries it replaces, so Ben's first edit gets the time of Ana's red again.
  setStripColour(ben, layout, 1, 'blue', BEN);
  setStripColour(ben, layout, 1, 'cyan', BEN);
  setStripColour(ben, layout, 1, 'teal', BEN);
  setStripColour(ana, layout, 1, 'pink', ED);
  sync(ana, ben);
  assert.equal(coloursOf(ana), ['1:Kick:teal']);
  assert.equal(coloursOf(ben), coloursOf(ana));
  const [lost] = fieldConflicts(ana, strip);
  assert.equal(
    [lost?.kept, lost?.lost],
    [
      { value: 'teal', who: 'Ben' },
      { value: 'pink', who: 'Ana' },
    ],
  );
  assert.equal(fieldConflicts(ben, strip).length, 1, 'both see the conflict');
  // Taking it back is a new, later edit.
  setStripColour(ana, layout, 1, 'pink', ED);
  sync(ana, ben);
  assert.equal(coloursOf(ben), ['1:Kick:pink']);
  assert.equal(fieldConflicts(ana, strip), []);
});

test('a moved track takes its colour along, a swap exchanges colours, and one undo takes back move and colours', () => {
  const doc = load(
    xml([
      [1, 'Kick', 'red'],
      [2, 'Snare', 'blue'],
      [3, 'Vox'],
    ]),
  );
  const unwatch = watchLayoutMerge(doc, () => ED);
  const origin = { editor: 'console' };
  const undo = new Y.UndoManager([doc.getMap(XML_ROOT), mergeMap(doc), fieldMap(doc)], {
    trackedOrigins: new Set([origin]),
    captureTimeout: 0,
  });
  const layout = readLayouts(doc)[0]!.id;
  const before = coloursOf(doc);
  doc.transact(() => {
    moveStrip(doc, layout, 1, 2, ED);
    carryStripColours(
      doc,
      layout,
      [
        [1, 2],
        [2, 1],
      ],
      ED,
    );
  }, origin);
  assert.equal(coloursOf(doc), ['1:Snare:blue', '2:Kick:red', '3:Vox:-']);
  // Kick goes onto strip 5 (unlisted): the strip is made and gets Kick's red; strip 2 is left blank, uncoloured.
  doc.transact(() => {
    placeTrack(doc, layout, 5, 'Kick', ED);
    carryStripColours(doc, layout, [[2, 5]], ED);
  }, origin);
  assert.equal(coloursOf(doc), ['1:Snare:blue', '2:-:-', '3:Vox:-', '5:Kick:red']);
  undo.undo();
  assert.equal(coloursOf(doc), ['1:Snare:blue', '2:Kick:red', '3:Vox:-']);
  undo.undo();
  assert.equal(coloursOf(doc), before);
  unwatch();
});

test.run();
