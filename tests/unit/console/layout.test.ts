/**
 * Mixdesk layout XML: several named layouts with strips 1-256 (blanks allowed) and the S3
 * bank-recall table, created, read and edited through the XML model.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  addLayout,
  assignTrack,
  createLayoutXml,
  isLayoutDocument,
  readBankRecall,
  readLayouts,
  removeLayout,
  renameLayout,
  setBankRecall,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml } from '../../../src/core/xml/index.ts';

function load(text: string): Y.Doc {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(text), 'layouts.xml');
  return doc;
}

const BASE = createLayoutXml(
  [
    {
      name: 'Drums',
      surface: 'S6',
      strips: [
        { slot: 1, track: 'Kick' },
        { slot: 2, track: null },
        { slot: 3, track: 'Snare & "Top"' },
      ],
    },
    { name: 'Vocals', strips: [{ slot: 1, track: 'Lead' }] },
  ],
  { A: 'Drums', 'Shift+A': 'Vocals' },
);

test('a created layout document reads back with its names, blanks and recall table', () => {
  const doc = load(BASE);
  assert.ok(isLayoutDocument(doc));
  const layouts = readLayouts(doc);
  assert.equal(
    layouts.map((l) => [l.name, l.surface]),
    [
      ['Drums', 'S6'],
      ['Vocals', null],
    ],
  );
  assert.equal(
    layouts[0]!.strips.map((s) => [s.slot, s.track]),
    [
      [1, 'Kick'],
      [2, null],
      [3, 'Snare & "Top"'],
    ],
  );
  assert.equal(readBankRecall(doc), { A: 'Drums', 'Shift+A': 'Vocals' });
});

test('assigning a track to an existing strip changes one attribute; a new slot is inserted in order', () => {
  const doc = load(BASE);
  const drums = readLayouts(doc)[0]!.id;
  assignTrack(doc, drums, 2, 'Hat');
  assert.is(exportXmlText(doc), BASE.replace('<Strip slot="2"/>', '<Strip slot="2" track="Hat"/>'));
  assignTrack(doc, drums, 200, 'FX');
  assignTrack(doc, drums, 1, null);
  const strips = readLayouts(doc)[0]!.strips;
  assert.equal(
    strips.map((s) => [s.slot, s.track]),
    [
      [1, null],
      [2, 'Hat'],
      [3, 'Snare & "Top"'],
      [200, 'FX'],
    ],
  );
  assert.match(
    exportXmlText(doc),
    /track="Snare &amp; &quot;Top&quot;"\/>\n {4}<Strip slot="200" track="FX"\/>\n {2}<\/Layout>/,
  );
  assert.throws(() => assignTrack(doc, drums, 257, 'x'), /outside 1-256/);
});

test('layouts are added before the recall table, renamed (recall follows), and removed', () => {
  const doc = load(BASE);
  const id = addLayout(doc, {
    name: 'Strings',
    strips: [
      { slot: 1, track: 'Vln 1' },
      { slot: 2, track: null },
    ],
  });
  setBankRecall(doc, 'B', 'Strings');
  renameLayout(doc, readLayouts(doc)[0]!.id, 'Kit');
  assert.equal(
    readLayouts(doc).map((l) => l.name),
    ['Kit', 'Vocals', 'Strings'],
  );
  assert.equal(readBankRecall(doc), { A: 'Kit', B: 'Strings', 'Shift+A': 'Vocals' });
  const again = load(exportXmlText(doc));
  assert.equal(
    readLayouts(again)[2]!.strips.map((s) => [s.slot, s.track]),
    [
      [1, 'Vln 1'],
      [2, null],
    ],
  );
  assert.match(
    exportXmlText(doc),
    /<Layout name="Strings">\n {4}<Strip slot="1" track="Vln 1"\/>\n {4}<Strip slot="2"\/>\n {2}<\/Layout>\n {2}<BankRecall>/,
  );
  removeLayout(doc, id);
  setBankRecall(doc, 'B', null);
  assert.is(exportXmlText(doc), BASE.replace(/name="Drums"/, 'name="Kit"').replace('layout="Drums"', 'layout="Kit"'));
});

test('a recall table is created when the document has none', () => {
  const doc = load('<MixdeskLayouts version="1">\n  <Layout name="L"/>\n</MixdeskLayouts>\n');
  setBankRecall(doc, 'Shift+F', 'L');
  setBankRecall(doc, 'C', 'L');
  assert.equal(readBankRecall(doc), { C: 'L', 'Shift+F': 'L' });
  assert.equal(readLayouts(load(exportXmlText(doc))).length, 1);
  assert.match(
    exportXmlText(doc),
    /<BankRecall>\n {4}<Recall key="C" layout="L"\/>\n {4}<Recall key="Shift\+F" layout="L"\/>\n {2}<\/BankRecall>/,
  );
});

test.run();
