import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { createLayoutXml, layoutsCsv, readBankRecall, readLayouts } from '../../../src/core/console/index.ts';
import { importXml } from '../../../src/core/xml/index.ts';

function layoutDoc(): Y.Doc {
  const doc = new Y.Doc();
  const xml = createLayoutXml(
    [
      {
        name: 'Drums',
        strips: [
          { slot: 2, track: 'Snare, top', colour: 'blue' },
          { slot: 1, track: 'Kick "In"' },
          { slot: 3, track: null, colour: 'yellow' },
        ],
      },
      { name: 'Vox', strips: [{ slot: 1, track: '=Lead' }] },
    ],
    { A: 'Drums', 'Shift+A': 'Drums', B: 'Vox' },
  );
  importXml(doc, new TextEncoder().encode(xml), 'layout.xml');
  return doc;
}

test('the CSV has one row per strip in strip order, with the bank keys of its layout', () => {
  const doc = layoutDoc();
  const csv = layoutsCsv(readLayouts(doc), readBankRecall(doc));
  assert.ok(csv.startsWith('\uFEFF'), 'BOM for spreadsheet programs');
  assert.equal(csv.slice(1).split('\r\n'), [
    'Layout,Bank keys,Strip,Track,Colour',
    'Drums,A Shift+A,1,"Kick ""In""",',
    'Drums,A Shift+A,2,"Snare, top",blue',
    'Drums,A Shift+A,3,,yellow',
    "Vox,B,1,'=Lead,",
    '',
  ]);
});

test.run();
