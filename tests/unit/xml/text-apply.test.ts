/**
 * Applying edited raw XML text: only what the text changed is written, untouched bytes stay
 * byte-exact in the export, unchanged subtrees keep their node ids (so a collaborator's
 * concurrent edit merges), and refused text changes nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  applyXmlText,
  childElements,
  exportXml,
  exportXmlText,
  getAttribute,
  importXml,
  rootElement,
  setAttribute,
  XmlError,
  MAX_EDIT_DEPTH,
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
  `  <Bank ID="2">`,
  `    <Key LABEL="Redo"/>`,
  `  </Bank>`,
  `</AppSet>`,
  ``,
].join('\r\n');

function load(source = SOURCE): Y.Doc {
  const doc = new Y.Doc();
  importXml(doc, new TextEncoder().encode(source), 'apply.xml');
  return doc;
}

/** What a textarea holds: the raw view's text, line endings as LF. */
const shown = (doc: Y.Doc) => exportXmlText(doc).replace(/\r\n?/g, '\n');
const banks = (doc: Y.Doc) => childElements(doc, rootElement(doc));
const keysOf = (doc: Y.Doc, bank: NodeId) => childElements(doc, bank);
const edit = (doc: Y.Doc, from: string, to: string) => {
  const text = shown(doc);
  assert.ok(text.includes(from), `the text has ${from}`);
  return applyXmlText(doc, text.replace(from, to));
};

test('unchanged text writes nothing', () => {
  const doc = load();
  const before = Y.encodeStateVector(doc);
  const summary = applyXmlText(doc, shown(doc));
  assert.equal(summary, { attributes: 0, texts: 0, added: 0, removed: 0, moved: 0, records: 0 });
  assert.equal(Y.encodeStateVector(doc), before);
});

test('one attribute changed: the export differs from the original bytes only in that value (CRLF kept)', () => {
  const doc = load();
  const ids = banks(doc).flatMap((b) => [b, ...keysOf(doc, b)]);
  const summary = edit(doc, `COLOR="Blue"`, `COLOR="Green"`);
  assert.is(summary.attributes, 1);
  assert.is(new TextDecoder().decode(exportXml(doc)), SOURCE.replace(`COLOR="Blue"`, `COLOR="Green"`));
  assert.equal(
    banks(doc).flatMap((b) => [b, ...keysOf(doc, b)]),
    ids,
    'every element keeps its id',
  );
});

test('a changed single-quoted value keeps its quotes and the odd spacing of its tag', () => {
  const doc = load();
  edit(doc, `LABEL='Save'`, `LABEL='Save all'`);
  assert.is(exportXmlText(doc), SOURCE.replace(`LABEL='Save'`, `LABEL='Save all'`));
});

test('a text change rewrites only that text', () => {
  const doc = load();
  const summary = edit(doc, `<Label>Old &amp; gold</Label>`, `<Label>New &amp; gold</Label>`);
  assert.is(summary.texts, 1);
  assert.is(exportXmlText(doc), SOURCE.replace('Old &amp; gold', 'New &amp; gold'));
});

test('attributes added and removed; the same value written another way is no change', () => {
  const doc = load();
  const key = keysOf(doc, banks(doc)[0]!)[0]!;
  const summary = edit(
    doc,
    `<Key LABEL='Save' COLOR="Red"  ICON="disk" />`,
    `<Key LABEL='Save' ICON="disk" MODE="hold"/>`,
  );
  assert.is(summary.attributes, 2);
  assert.is(getAttribute(doc, key, 'COLOR'), null);
  assert.is(getAttribute(doc, key, 'MODE'), 'hold');
  // The removed attribute takes its own leading space; ICON keeps the two spaces written before it.
  assert.is(exportXmlText(doc), SOURCE.replace(`COLOR="Red"  ICON="disk" />`, ` ICON="disk" MODE="hold" />`));
  assert.equal(applyXmlText(doc, shown(doc).replace('a &amp; b', 'a &#38; b')).attributes, 0);
});

test('an inserted element goes where it was typed; everything else keeps its bytes and ids', () => {
  const doc = load();
  const [bank1, bank2] = banks(doc);
  const [save, undo, label] = keysOf(doc, bank1!);
  const summary = edit(doc, `    <Key LABEL="Undo"`, `    <Key LABEL="Cut"/>\n    <Key LABEL="Undo"`);
  assert.is(summary.added, 1);
  assert.is(
    exportXmlText(doc),
    SOURCE.replace(`    <Key LABEL="Undo"`, `    <Key LABEL="Cut"/>\r\n    <Key LABEL="Undo"`),
  );
  const now = keysOf(doc, bank1!);
  assert.is(now.length, 4);
  assert.equal([now[0], now[2], now[3]], [save, undo, label]);
  assert.equal(banks(doc), [bank1, bank2]);
});

test('a deleted element and its line are gone, nothing else changes', () => {
  const doc = load();
  const summary = edit(doc, `\n    <Key LABEL="Undo" COLOR="Blue"></Key>`, '');
  assert.is(summary.removed, 1);
  assert.is(exportXmlText(doc), SOURCE.replace(`\r\n    <Key LABEL="Undo" COLOR="Blue"></Key>`, ''));
});

test('elements moved among their siblings keep their ids (a move, not a copy)', () => {
  const doc = load();
  const bank = banks(doc)[0]!;
  const [save, undo, label] = childElements(doc, bank);
  const text = shown(doc);
  const undoLine = `\n    <Key LABEL="Undo" COLOR="Blue"></Key>`;
  const summary = applyXmlText(
    doc,
    text.replace(undoLine, '').replace(`\n    <Key LABEL='Save'`, `${undoLine}\n    <Key LABEL='Save'`),
  );
  assert.is(summary.moved, 1);
  assert.is(summary.added + summary.removed, 0);
  assert.equal(childElements(doc, bank), [undo, save, label]);
  assert.is(
    shown(doc),
    text.replace(undoLine, '').replace(`\n    <Key LABEL='Save'`, `${undoLine}\n    <Key LABEL='Save'`),
  );
});

test('an element moved to another parent keeps its id', () => {
  const doc = load();
  const [bank1, bank2] = banks(doc);
  const redo = keysOf(doc, bank2!)[0]!;
  const text = shown(doc)
    .replace(`\n    <Key LABEL="Redo"/>`, '')
    .replace(`\n    <Label>`, `\n    <Key LABEL="Redo"/>\n    <Label>`);
  const summary = applyXmlText(doc, text);
  assert.is(summary.moved, 1);
  assert.is(summary.added, 0);
  assert.is(keysOf(doc, bank1!)[2], redo);
  assert.is(shown(doc), text);
});

test('a renamed element keeps the ids of its unchanged children', () => {
  const doc = load();
  const bank2 = banks(doc)[1]!;
  const redo = keysOf(doc, bank2)[0]!;
  const text = shown(doc).replace(
    `<Bank ID="2">\n    <Key LABEL="Redo"/>\n  </Bank>`,
    `<Page ID="2">\n    <Key LABEL="Redo"/>\n  </Page>`,
  );
  applyXmlText(doc, text);
  assert.is(shown(doc), text);
  const page = childElements(doc, rootElement(doc), 'Page')[0]!;
  assert.equal(childElements(doc, page), [redo]);
});

test('the root element renamed: the new root holds the old children, and the export is the text', () => {
  const doc = load();
  const bank1 = banks(doc)[0]!;
  const text = shown(doc)
    .replace(`<AppSet  VERSION = '2'\tNOTE="a &amp; b" >`, '<Soft VERSION="2">')
    .replace('</AppSet>', '</Soft>');
  applyXmlText(doc, text);
  assert.is(shown(doc), text);
  assert.is(banks(doc)[0], bank1);
});

test('an apply is one undo step, and undo gives back the exact bytes', () => {
  const doc = load();
  const origin = { editor: 'test' };
  const undo = new Y.UndoManager(doc.getMap('xml'), { trackedOrigins: new Set([origin]), captureTimeout: 0 });
  const text = shown(doc)
    .replace(`COLOR="Blue"`, `COLOR="Green"`)
    .replace(`\n    <Key LABEL="Redo"/>`, '')
    .replace('<Label>', '<Label id="x">');
  doc.transact(() => applyXmlText(doc, text), origin);
  assert.is(undo.undoStack.length, 1);
  assert.is(shown(doc), text);
  undo.undo();
  assert.is(exportXmlText(doc), SOURCE);
});

test('a concurrent edit on another replica, merged after the apply, survives', () => {
  const doc = load();
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const otherRedo = keysOf(other, banks(other)[1]!)[0]!;
  setAttribute(other, otherRedo, 'COLOR', 'Purple');
  edit(doc, `COLOR="Blue"`, `COLOR="Green"`);
  edit(doc, `    <Label>`, `    <Key LABEL="Cut"/>\n    <Label>`);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  const text = exportXmlText(doc);
  assert.ok(text.includes(`<Key LABEL="Redo" COLOR="Purple"/>`), text);
  assert.ok(text.includes(`COLOR="Green"`));
  assert.ok(text.includes(`<Key LABEL="Cut"/>`));
  assert.is(exportXmlText(other), text);
});

test('malformed text is refused at its line and column and changes nothing', () => {
  const doc = load();
  const before = exportXmlText(doc);
  const text = shown(doc).replace(`<Key LABEL="Redo"/>`, `<Key LABEL="Redo>`);
  try {
    applyXmlText(doc, text);
    assert.unreachable('refused');
  } catch (e) {
    assert.instance(e, XmlError);
    assert.is((e as XmlError).line, 10);
  }
  assert.is(exportXmlText(doc), before);
});

test('the declaration and DOCTYPE cannot be changed, with the place said', () => {
  const doc = load();
  try {
    edit(doc, `encoding="UTF-8"`, `encoding="ISO-8859-1"`);
    assert.unreachable('refused');
  } catch (e) {
    assert.match((e as XmlError).message, /1:1: the XML declaration cannot be changed/);
  }
});

test('a name the file encoding cannot hold is refused; a value with it becomes a reference', () => {
  const latin = `<?xml version="1.0" encoding="ISO-8859-1"?>\n<a x="1"/>\n`;
  const doc = load(latin);
  assert.throws(() => applyXmlText(doc, latin.replace('<a x="1"/>', '<a x="1"><ę/></a>')), /cannot be written/);
  applyXmlText(doc, latin.replace('x="1"', 'x="ę"'));
  assert.is(exportXmlText(doc), latin.replace('x="1"', 'x="&#x119;"'));
});

test(`nesting deeper than ${MAX_EDIT_DEPTH} levels is refused before any work`, () => {
  const doc = load();
  const deep = '<a>'.repeat(MAX_EDIT_DEPTH + 5) + '</a>'.repeat(MAX_EDIT_DEPTH + 5);
  assert.throws(() => applyXmlText(doc, deep), /nested more than/);
});

test('ten thousand equal siblings with one inserted in the middle stay fast and keep every id', () => {
  const rows = Array.from({ length: 10_000 }, () => '  <Strip/>').join('\n');
  const doc = load(`<Layout>\n${rows}\n</Layout>\n`);
  const ids = childElements(doc, rootElement(doc));
  const text = shown(doc);
  const mid = text.indexOf('<Strip/>', text.length / 2);
  const started = performance.now();
  const summary = applyXmlText(doc, text.slice(0, mid) + '<Strip name="new"/>\n  ' + text.slice(mid));
  const ms = performance.now() - started;
  assert.is(summary.added, 1);
  const now = childElements(doc, rootElement(doc));
  assert.is(now.length, 10_001);
  const kept = new Set(ids);
  assert.equal(now.filter((id) => kept.has(id)).length, 10_000);
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('a hostile list (5,000 siblings, every one changed) is paired in order without a quadratic alignment', () => {
  // No whitespace between them: no equal node anchors the list, so all 5,000 are one gap to pair.
  const rows = (v: string) => Array.from({ length: 5_000 }, (_, i) => `<K n="${i}" v="${v}"/>`).join('');
  const doc = load(`<L>\n${rows('a')}\n</L>\n`);
  const ids = childElements(doc, rootElement(doc));
  const started = performance.now();
  const summary = applyXmlText(doc, `<L>\n${rows('b')}\n</L>\n`);
  const ms = performance.now() - started;
  assert.is(summary.attributes, 5_000);
  assert.is(summary.added + summary.removed, 0);
  assert.equal(childElements(doc, rootElement(doc)), ids, 'each element stays itself');
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('only spacing inside tags changed: nothing is written', () => {
  const doc = load();
  const summary = applyXmlText(doc, shown(doc).replace(`<Bank ID="1" SIZE="2">`, `<Bank  ID="1"   SIZE="2" >`));
  assert.is(summary.records, 0);
  assert.is(exportXmlText(doc), SOURCE);
});

test.run();
