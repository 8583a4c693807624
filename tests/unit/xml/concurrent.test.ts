/**
 * Two people edit the same imported file at once (two Y.Docs that exchange updates only after
 * both have edited): edits of different attributes, keys and strips all survive; edits of the
 * same thing converge to the same bytes on both sides.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  childElements,
  childNodes,
  exportXmlText,
  getAttribute,
  importXml,
  insertElement,
  moveNode,
  removeNode,
  rootElement,
  setAttribute,
  setText,
  type NodeId,
} from '../../../src/core/xml/index.ts';
import { assignTrack, readLayouts } from '../../../src/core/console/index.ts';
import { generateAppSet, generateLayoutXml } from '../../support/xml-corpus.ts';

function pair(text: string): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  importXml(a, new TextEncoder().encode(text), 'shared.xml');
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

/** Exchanges what each side has that the other lacks. */
function sync(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b));
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
  Y.applyUpdate(b, toB);
  Y.applyUpdate(a, toA);
}

const APPSET = generateAppSet({ seed: 11, sections: 1, banksPerSection: 2, keysPerBank: 4 });
const keysOf = (doc: Y.Doc): NodeId[] => {
  const section = childElements(doc, rootElement(doc), 'Section')[0]!;
  return childElements(doc, childElements(doc, section, 'Bank')[0]!);
};

test('different attributes of the same key both survive', () => {
  const [a, b] = pair(APPSET);
  const key = keysOf(a)[0]!;
  setAttribute(a, key, 'LABEL', 'From A');
  setAttribute(b, key, 'COLOR', 'Green');
  sync(a, b);
  for (const doc of [a, b]) {
    assert.is(getAttribute(doc, key, 'LABEL'), 'From A');
    assert.is(getAttribute(doc, key, 'COLOR'), 'Green');
  }
  assert.is(exportXmlText(a), exportXmlText(b));
});

test('edits of different keys, plus an insert and a removal elsewhere, all survive', () => {
  const [a, b] = pair(APPSET);
  const keys = keysOf(a);
  const bank = childElements(a, childElements(a, rootElement(a), 'Section')[0]!, 'Bank')[1]!;
  setAttribute(a, keys[0]!, 'LABEL', 'A0');
  setAttribute(b, keys[1]!, 'LABEL', 'B1');
  const added = insertElement(a, bank, 0, 'Key', [['LABEL', 'New from A']]);
  removeNode(b, keys[3]!);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.is(getAttribute(b, keys[0]!, 'LABEL'), 'A0');
  assert.is(getAttribute(a, keys[1]!, 'LABEL'), 'B1');
  assert.is(getAttribute(b, added, 'LABEL'), 'New from A');
  assert.not.ok(keysOf(a).includes(keys[3]!));
});

test('assigning tracks to different strips, existing or new, all survive', () => {
  const [a, b] = pair(generateLayoutXml(1, 10));
  const layout = readLayouts(a)[0]!.id;
  assignTrack(a, layout, 3, 'Kick');
  assignTrack(b, layout, 4, 'Snare');
  assignTrack(a, layout, 100, 'Vox A');
  assignTrack(b, layout, 50, 'Bass');
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  const strips = readLayouts(b)[0]!.strips;
  const track = (slot: number) => strips.find((s) => s.slot === slot)?.track;
  assert.equal([track(3), track(4), track(50), track(100)], ['Kick', 'Snare', 'Bass', 'Vox A']);
  // Both appended strips sit on their own lines: an insert and its indentation stay together.
  assert.match(
    exportXmlText(a),
    /slot="10" track="Track 1.10"\/>\n {4}<Strip slot="(50|100)" track="[^"]+"\/>\n {4}<Strip slot="(50|100)" track="[^"]+"\/>\n {2}<\/Layout>/,
  );
});

test('two people filling the same empty strip at once make one strip (one track wins)', () => {
  const [a, b] = pair(generateLayoutXml(1, 10));
  const layout = readLayouts(a)[0]!.id;
  assignTrack(a, layout, 77, 'From A');
  assignTrack(b, layout, 77, 'From B');
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  const strips = readLayouts(a)[0]!.strips.filter((s) => s.slot === 77);
  assert.is(strips.length, 1);
  assert.ok(['From A', 'From B'].includes(strips[0]!.track!));
  assert.not.match(exportXmlText(a), /\n[ ]*\n/);
});

test('two people giving an empty element text at once converge on one text', () => {
  const [a, b] = pair('<r>\n  <Label></Label>\n</r>\n');
  const label = childElements(a, rootElement(a))[0]!;
  setText(a, label, 'A');
  setText(b, label, 'B');
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.match(exportXmlText(a), /<Label>(A|B)<\/Label>/);
});

test('both people setting the same attribute converge on one value', () => {
  const [a, b] = pair(APPSET);
  const key = keysOf(a)[0]!;
  setAttribute(a, key, 'LABEL', 'A wins?');
  setAttribute(b, key, 'LABEL', 'B wins?');
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.ok(['A wins?', 'B wins?'].includes(getAttribute(a, key, 'LABEL')!));
});

test('inserts at the same position keep both nodes, in the same order on both sides', () => {
  const [a, b] = pair(APPSET);
  const bank = childElements(a, childElements(a, rootElement(a), 'Section')[0]!, 'Bank')[0]!;
  insertElement(a, bank, 1, 'Key', [['LABEL', 'A']]);
  insertElement(b, bank, 1, 'Key', [['LABEL', 'B']]);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  const labels = childElements(a, bank).map((k) => getAttribute(a, k, 'LABEL'));
  assert.ok(labels.includes('A') && labels.includes('B'));
  assert.not.match(exportXmlText(a), /\n[ ]*\n/);
});

test('moving the same key to different banks converges to one place', () => {
  const [a, b] = pair(APPSET);
  const section = childElements(a, rootElement(a), 'Section')[0]!;
  const [bank1, bank2] = childElements(a, section, 'Bank');
  const key = keysOf(a)[2]!;
  moveNode(a, key, bank2!, 0);
  moveNode(b, key, bank1!, 0);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  const count = [bank1!, bank2!].flatMap((bank) => childElements(a, bank)).filter((k) => k === key).length;
  assert.is(count, 1);
});

test('crossed moves that would form a cycle converge without losing either element', () => {
  const [a, b] = pair('<r>\n  <x>\n    <p/>\n  </x>\n  <y>\n    <q/>\n  </y>\n</r>\n');
  const [x, y] = childElements(a, rootElement(a));
  moveNode(a, x!, y!, 0);
  moveNode(b, y!, x!, 0);
  sync(a, b);
  const text = exportXmlText(a);
  assert.is(text, exportXmlText(b));
  assert.match(text, /<p\/>/);
  assert.match(text, /<q\/>/);
});

test('one person edits a key while the other removes it: converges (removed), others intact', () => {
  const [a, b] = pair(APPSET);
  const keys = keysOf(a);
  setAttribute(a, keys[1]!, 'LABEL', 'edited');
  setText(a, keys[0]!, 'note');
  removeNode(b, keys[1]!);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.not.ok(keysOf(b).includes(keys[1]!));
  assert.ok(childNodes(b, keys[0]!).length > 0);
});

test.run();
