/**
 * Readable diff between two versions (Yjs snapshots) of one document: what was added, removed,
 * moved, and which attribute or text changed, named by path.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  childElements,
  diffVersions,
  importXml,
  insertElement,
  moveNode,
  removeNode,
  rootElement,
  setAttribute,
  setText,
} from '../../../src/core/xml/index.ts';

const SOURCE =
  '<AppSet>\n  <Bank ID="1">\n    <Key LABEL="Save"/>\n    <Key LABEL="Undo">old</Key>\n    <Key LABEL="Gone"/>\n  </Bank>\n  <Bank ID="2"/>\n</AppSet>\n';

test('diff between two snapshots lists every change by path, removals last', () => {
  const doc = new Y.Doc({ gc: false });
  importXml(doc, new TextEncoder().encode(SOURCE), 'd.xml');
  const v1 = Y.snapshot(doc);
  const [bank1, bank2] = childElements(doc, rootElement(doc));
  const [save, undo, gone] = childElements(doc, bank1!);
  setAttribute(doc, save!, 'LABEL', 'Save All');
  setAttribute(doc, save!, 'COLOR', 'Red');
  setText(doc, undo!, 'new');
  insertElement(doc, bank1!, 0, 'Key', [['LABEL', 'Added']]);
  moveNode(doc, undo!, bank2!, 0);
  removeNode(doc, gone!);
  const v2 = Y.snapshot(doc);
  const summaries = diffVersions(Y.createDocFromSnapshot(doc, v1), Y.createDocFromSnapshot(doc, v2)).map(
    (c) => c.summary,
  );
  assert.equal(summaries, [
    '/AppSet/Bank[1]/Key[1]: added <Key>',
    '/AppSet/Bank[1]/Key[2] @LABEL: "Save" → "Save All"',
    '/AppSet/Bank[1]/Key[2] @COLOR: (none) → "Red"',
    '/AppSet/Bank[2]/Key: moved from /AppSet/Bank[1]/Key[2]',
    '/AppSet/Bank[2]/Key/text(): text "old" → "new"',
    '/AppSet/Bank[1]/Key[3]: removed <Key>',
  ]);
});

test('identical versions have no changes', () => {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(SOURCE), 'd.xml');
  assert.equal(diffVersions(doc, doc), []);
});

test.run();
