/**
 * Encodings: the right characters come out of each code page, and edited text that a code
 * page cannot hold is written as character references, never as lost bytes.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { decodeXmlBytes } from '../../../src/core/xml/encoding.ts';
import { exportXml, getAttribute, importXml, rootElement, setAttribute } from '../../../src/core/xml/index.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const file = (label: string, ...body: number[]) =>
  new Uint8Array([...ascii(`<?xml version="1.0" encoding="${label}"?><a v="`), ...body, ...ascii('"/>')]);

test('Mac OS Roman bytes decode to their characters (é, ü, euro, apple, fi ligature)', () => {
  const doc = new Y.Doc();
  importXml(doc, file('macintosh', 0x8e, 0x9f, 0xdb, 0xf0, 0xde), 'm.xml');
  assert.is(getAttribute(doc, rootElement(doc), 'v'), 'éü€\uf8ff\ufb01');
});

test('windows-1252 0x80-0x9F decode to typographic characters; undefined bytes survive', () => {
  const doc = new Y.Doc();
  const bytes = file('windows-1252', 0x80, 0x93, 0x94, 0x81, 0xe9);
  importXml(doc, bytes, 'w.xml');
  assert.is(getAttribute(doc, rootElement(doc), 'v'), '€“”\u0081é');
  assert.equal(exportXml(doc), bytes);
});

test('ISO-8859-1 is the identity on bytes (0x80 stays a C1 control, not the euro sign)', () => {
  const doc = new Y.Doc();
  importXml(doc, file('ISO-8859-1', 0x80, 0xe9), 'l.xml');
  assert.is(getAttribute(doc, rootElement(doc), 'v'), '\u0080é');
});

test('a character the code page lacks is written as a character reference', () => {
  const doc = new Y.Doc();
  importXml(doc, file('ISO-8859-1', 0x41), 'l.xml');
  setAttribute(doc, rootElement(doc), 'v', 'é€😀');
  const out = exportXml(doc);
  const expected = [
    ...ascii('<?xml version="1.0" encoding="ISO-8859-1"?><a v="'),
    0xe9,
    ...ascii('&#x20AC;&#x1F600;"/>'),
  ];
  assert.equal(Array.from(out), expected);
  const again = new Y.Doc();
  importXml(again, out, 'l.xml');
  assert.is(getAttribute(again, rootElement(again), 'v'), 'é€😀');
});

test('edited text in a UTF-16 file is written in UTF-16', () => {
  const bytes = new Uint8Array(Buffer.from('\ufeff<a v="1"/>', 'utf16le'));
  const doc = new Y.Doc();
  importXml(doc, bytes, 'u.xml');
  setAttribute(doc, rootElement(doc), 'v', 'Ω');
  assert.equal(Buffer.from(exportXml(doc)).toString('utf16le'), '\ufeff<a v="Ω"/>');
});

test('invalid UTF-8 without a declaration is read as windows-1252 with a warning, bytes kept', () => {
  const bytes = new Uint8Array([...ascii('<a v="'), 0xe9, 0xff, ...ascii('"/>')]);
  const decoded = decodeXmlBytes(bytes);
  assert.is(decoded.info.encoding, 'windows-1252');
  assert.is(decoded.warnings.length, 1);
  const doc = new Y.Doc();
  importXml(doc, bytes, 'x.xml');
  assert.equal(exportXml(doc), bytes);
});

test('an unsupported declared encoding is refused with its line and column', () => {
  try {
    importXml(new Y.Doc(), new Uint8Array(ascii('<?xml version="1.0" encoding="Shift_JIS"?><a/>')), 'sj.xml');
    assert.unreachable('should refuse');
  } catch (e) {
    assert.match((e as Error).message, /^sj\.xml:1:31: unsupported encoding 'Shift_JIS'/);
  }
});

test('whitespace before the declaration is tolerated and its encoding still honoured', () => {
  const bytes = new Uint8Array([
    ...ascii('\r\n<?xml version="1.0" encoding="macintosh"?><a v="'),
    0x8e,
    ...ascii('"/>'),
  ]);
  const doc = new Y.Doc();
  importXml(doc, bytes, 'lead.xml');
  assert.is(getAttribute(doc, rootElement(doc), 'v'), 'é');
  assert.equal(exportXml(doc), bytes);
});

test.run();
