/**
 * Soft keys edited by two people at once (docs/merge.md): different fields both survive, the
 * same label merges character-wise, the same colour or command keeps one value and offers the
 * other back, and every peer ends with the same file.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  editField,
  fieldConflicts,
  findKeysByLabel,
  mergeText,
  readField,
  reconcileFields,
  recordedFieldConflicts,
} from '../../../src/core/console/index.ts';
import { exportXmlText, importXml } from '../../../src/core/xml/index.ts';
import { readFileSync } from 'node:fs';

const FILE = readFileSync(new URL('../../fixtures/console/Pro Tools.xml', import.meta.url));

/** Devices with these client ids, each holding the same imported file. */
function peers(ids: number[]): Y.Doc[] {
  const base = new Y.Doc();
  importXml(base, new Uint8Array(FILE), 'Pro Tools.xml');
  const state = Y.encodeStateAsUpdate(base);
  return ids.map((id) => {
    const d = new Y.Doc();
    d.clientID = id;
    Y.applyUpdate(d, state);
    return d;
  });
}

const pair = () => peers([1000, 2000]) as [Y.Doc, Y.Doc];

function sync(a: Y.Doc, b: Y.Doc): void {
  for (let i = 0; i < 3; i++) {
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
    reconcileFields(a);
    reconcileFields(b);
  }
}

const alice = { who: 'Alice', now: 1 };
const bob = { who: 'Bob', now: 2 };
const saveKey = (doc: Y.Doc) => findKeysByLabel(doc, 'Save')[0]!.id;

test('text merge keeps both edits of one label', () => {
  assert.is(mergeText('Undo', 'Undo A', 'Undo B'), 'Undo A B');
  assert.is(mergeText('Undo', 'Undo A', 'Redo'), 'Redo A');
  assert.is(mergeText('Undo', 'Undo', 'Redo'), 'Redo');
});

// Regression: both typed a new label on one soft key and both ended with Alice's text.
test('two people editing one label at once both keep their typing, on both devices', () => {
  const [a, b] = pair();
  const key = saveKey(a);
  editField(a, key, 'label', 'Save A', alice);
  editField(b, key, 'label', 'Save B', bob);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  const label = readField(a, key, 'label')!;
  assert.ok(label.includes('A') && label.includes('B') && label.startsWith('Save'), label);
});

test("typing that started before a collaborator's edit merges into it", () => {
  const [a, b] = pair();
  const key = saveKey(a);
  editField(b, key, 'label', 'Save All', bob);
  sync(a, b);
  // Alice began typing when the label still read "Save", and commits after Bob's edit arrived.
  editField(a, key, 'label', 'Quick Save', alice, 'Save');
  sync(a, b);
  assert.is(readField(b, key, 'label'), 'Quick Save All');
});

test('different fields of one key edited at once all survive', () => {
  const [a, b] = pair();
  const key = saveKey(a);
  editField(a, key, 'label', 'Store', alice);
  editField(b, key, 'colour', 'Red', bob);
  sync(a, b);
  assert.is(readField(a, key, 'label'), 'Store');
  assert.is(readField(a, key, 'colour'), 'Red');
  assert.is(exportXmlText(a), exportXmlText(b));
});

test('one colour chosen by two people: one kept, the other offered back and taken back in one step', () => {
  const [a, b] = pair();
  const key = saveKey(a);
  editField(a, key, 'colour', 'Blue', alice);
  editField(b, key, 'colour', 'Red', bob);
  sync(a, b);
  const kept = readField(a, key, 'colour');
  const conflicts = fieldConflicts(a, key);
  assert.equal(conflicts, fieldConflicts(b, key), 'both see the same conflict');
  assert.is(conflicts.length, 1);
  assert.is(conflicts[0]!.kept.value, kept);
  const other = conflicts[0]!.lost.value;
  assert.ok([kept, other].sort().join() === 'Blue,Red');
  assert.is(recordedFieldConflicts(b).length, 1, 'in the history');
  editField(b, key, 'colour', other, bob);
  sync(a, b);
  assert.is(readField(a, key, 'colour'), other);
  assert.equal(fieldConflicts(a, key), [], 'taken back: no conflict left');
});

// Regression: an edit took its time after removing the entries its writer had seen, so it could
// carry the same time as the edit it replaced, and then lose to an older concurrent edit on the
// client-id tie-break.
test('a colour chosen after seeing another one is later than every edit its writer had not seen', () => {
  const [a, b, c] = peers([1000, 2000, 3000]) as [Y.Doc, Y.Doc, Y.Doc];
  const key = saveKey(a);
  editField(a, key, 'colour', 'Red', alice); // Alice, and at the same time Carol, who has not seen it
  editField(c, key, 'colour', 'Yellow', { who: 'Carol', now: 1 });
  sync(a, b);
  editField(b, key, 'colour', 'Blue', bob); // Bob chose Blue over Alice's Red
  sync(a, b);
  sync(b, c);
  sync(a, c);
  for (const doc of [a, b, c]) assert.is(readField(doc, key, 'colour'), 'Blue');
  const conflicts = fieldConflicts(a, key);
  assert.equal(
    conflicts.map((x) => x.lost.value),
    ['Yellow'],
    'Carol’s colour, which Bob never saw, is offered back',
  );
});

test.run();
