/**
 * An edit changes only the bytes of what was edited: the rest of the file (other attributes,
 * quotes, whitespace in tags, comments, CRLF line endings) stays byte-identical.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  childElements,
  childNodes,
  exportXmlText,
  getAttribute,
  getText,
  importXml,
  insertAttribute,
  insertElement,
  moveNode,
  removeAttribute,
  removeNode,
  rootElement,
  setAttribute,
  setText,
  type NodeId,
} from '../../../src/core/xml/index.ts';

const SOURCE = [
  `<?xml version="1.0" encoding="UTF-8"?>`,
  `<!-- keep me -->`,
  `<AppSet  VERSION = '2'\tNOTE="a &amp; b" >`,
  `  <Bank ID="1" SIZE="2">`,
  `    <Key LABEL='Save' COLOR="Red"  ICON="disk" />`,
  `    <Key LABEL="Undo" COLOR="Blue"></Key>`,
  `    <Label>Old &amp; gold</Label>`,
  `  </Bank>`,
  `</AppSet>`,
  ``,
].join('\r\n');

function load(): { doc: Y.Doc; bank: NodeId; keys: NodeId[]; label: NodeId } {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(SOURCE), 'edit.xml');
  const bank = childElements(doc, rootElement(doc))[0]!;
  const [k1, k2, label] = childElements(doc, bank);
  return { doc, bank, keys: [k1!, k2!], label: label! };
}

test('editing one attribute rewrites only its value, with its original single quotes', () => {
  const { doc, keys } = load();
  setAttribute(doc, keys[0]!, 'LABEL', "Save 'all' & <quit>");
  assert.is(exportXmlText(doc), SOURCE.replace(`LABEL='Save'`, `LABEL='Save &apos;all&apos; &amp; &lt;quit>'`));
});

test('editing a root attribute keeps the spaces around "=" and the tab before the next one', () => {
  const { doc } = load();
  setAttribute(doc, rootElement(doc), 'VERSION', '3');
  assert.is(exportXmlText(doc), SOURCE.replace(`VERSION = '2'`, `VERSION = '3'`));
});

test('a new line in an attribute value is written as &#10; so it reads back the same', () => {
  const { doc, keys } = load();
  setAttribute(doc, keys[1]!, 'COLOR', 'a\nb');
  assert.is(exportXmlText(doc), SOURCE.replace(`COLOR="Blue"`, `COLOR="a&#10;b"`));
});

test('a new attribute is appended after the others; inserting at 0 puts it first', () => {
  const { doc, keys } = load();
  setAttribute(doc, keys[0]!, 'UID', 'u1');
  insertAttribute(doc, keys[1]!, 0, 'ID', '7');
  assert.is(
    exportXmlText(doc),
    SOURCE.replace(`ICON="disk" />`, `ICON="disk" UID="u1" />`).replace(
      `<Key LABEL="Undo"`,
      `<Key ID="7" LABEL="Undo"`,
    ),
  );
});

test('removing an attribute removes it with the whitespace before it, nothing else', () => {
  const { doc, keys } = load();
  removeAttribute(doc, keys[0]!, 'COLOR');
  assert.is(exportXmlText(doc), SOURCE.replace(` COLOR="Red"`, ''));
});

test('editing element text keeps CRLF for new lines and escapes markup', () => {
  const { doc, label } = load();
  assert.is(getText(doc, label), 'Old & gold');
  setText(doc, label, 'New\n<b>');
  assert.is(exportXmlText(doc), SOURCE.replace('Old &amp; gold', 'New\r\n&lt;b&gt;'));
});

test('text set on an empty element goes between its tags; a self-closing element gains an end tag', () => {
  const { doc, keys } = load();
  setText(doc, keys[1]!, 'x');
  setText(doc, keys[0]!, 'y');
  assert.is(
    exportXmlText(doc),
    SOURCE.replace('<Key LABEL="Undo" COLOR="Blue"></Key>', '<Key LABEL="Undo" COLOR="Blue">x</Key>').replace(
      `ICON="disk" />`,
      `ICON="disk">y</Key>`,
    ),
  );
});

test('inserting a key copies the indentation; removing it gives back the original bytes', () => {
  const { doc, bank } = load();
  const id = insertElement(doc, bank, 2, 'Key', [['LABEL', 'New']]);
  assert.is(
    exportXmlText(doc),
    SOURCE.replace(`/>\r\n    <Key LABEL="Undo"`, `/>\r\n    <Key LABEL="New"/>\r\n    <Key LABEL="Undo"`),
  );
  removeNode(doc, id);
  assert.is(exportXmlText(doc), SOURCE);
});

test('appending at the end of a parent lands before its closing indentation', () => {
  const { doc, bank } = load();
  insertElement(doc, bank, childNodes(doc, bank).length, 'Key', [['LABEL', 'Last']]);
  assert.is(
    exportXmlText(doc),
    SOURCE.replace(`</Label>\r\n  </Bank>`, `</Label>\r\n    <Key LABEL="Last"/>\r\n  </Bank>`),
  );
});

test('moving a key swaps the lines and leaves the rest alone', () => {
  const { doc, bank, keys } = load();
  moveNode(doc, keys[1]!, bank, 0);
  const [l1, l2] = [`    <Key LABEL='Save' COLOR="Red"  ICON="disk" />`, `    <Key LABEL="Undo" COLOR="Blue"></Key>`];
  assert.is(exportXmlText(doc), SOURCE.replace(`${l1}\r\n${l2}`, `${l2}\r\n${l1}`));
  assert.is(getAttribute(doc, childElements(doc, bank)[0]!, 'LABEL'), 'Undo');
});

test('undo of an edit (Y.UndoManager) gives back the original bytes', () => {
  const { doc, keys } = load();
  const undo = new Y.UndoManager(doc.getMap('xml'));
  setAttribute(doc, keys[0]!, 'LABEL', 'Changed');
  undo.stopCapturing();
  removeNode(doc, keys[1]!);
  assert.is.not(exportXmlText(doc), SOURCE);
  undo.undo();
  undo.undo();
  assert.is(exportXmlText(doc), SOURCE);
  undo.redo();
  assert.is(getAttribute(doc, keys[0]!, 'LABEL'), 'Changed');
});

test.run();
