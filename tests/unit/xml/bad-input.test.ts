/**
 * Bad input gets a clear message saying what and where, and imports nothing: malformed XML
 * (line and column), entity bombs (refused fast), binary files, files over 50 MB.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { exportXml, getText, importXml, MAX_XML_BYTES, rootElement, XmlError } from '../../../src/core/xml/index.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function refusal(bytes: Uint8Array, fileName = 'bad.xml'): { error: XmlError; doc: Y.Doc } {
  const doc = new Y.Doc();
  try {
    importXml(doc, bytes, fileName);
  } catch (e) {
    assert.instance(e, XmlError);
    return { error: e as XmlError, doc };
  }
  assert.unreachable('import should have been refused');
  throw new Error('unreachable');
}

const malformed: Array<[string, string, number, number, RegExp]> = [
  [
    'mismatched end tag',
    '<a>\n  <b>\n  </c>\n</a>',
    3,
    3,
    /mismatched end tag <\/c>: expected <\/b> \(opened at 2:3\)/,
  ],
  ['unclosed element', '<a>\n  <b>\n</b>', 1, 1, /unclosed element <a>/],
  ['unquoted attribute value', '<a x=1/>', 1, 6, /must be in quotes/],
  ['attribute without value', '<a x/>', 1, 5, /has no value/],
  ['attributes without whitespace between', '<a x="1"y="2"/>', 1, 9, /separated by whitespace/],
  ['duplicate attribute', '<a x="1" x="2"/>', 1, 10, /duplicate attribute 'x'/],
  ['unterminated attribute value', '<a x="1/>\n', 1, 6, /unterminated value/],
  ['unterminated comment', '<a><!-- no end</a>', 1, 4, /unterminated comment/],
  ['text after the root', '<a/>\r\noops', 2, 1, /text after the root element/],
  ['second root element', '<a/>\n<b/>', 2, 1, /second root element/],
  ['no root element', '<!-- nothing -->', 1, 17, /no root element/],
  ['end tag with no start', '</a>', 1, 1, /without a matching start tag/],
  ['declaration after a comment', '<!-- c --><?xml version="1.0"?><a/>', 1, 11, /XML declaration must be at the start/],
];

for (const [what, text, line, column, message] of malformed) {
  test(`malformed XML (${what}) names file, line ${line} and column ${column}, and imports nothing`, () => {
    const { error, doc } = refusal(utf8(text), 'Pro Tools.xml');
    assert.is(error.line, line);
    assert.is(error.column, column);
    assert.match(error.message, message);
    assert.ok(error.message.startsWith(`Pro Tools.xml:${line}:${column}: `), error.message);
    assert.is(doc.getMap('xml').size, 0);
  });
}

test('a refused re-import leaves the earlier model untouched', () => {
  const doc = new Y.Doc();
  importXml(doc, utf8('<ok/>'), 'ok.xml');
  const before = Y.encodeStateAsUpdate(doc);
  assert.throws(() => importXml(doc, utf8('<broken>'), 'b.xml'), /unclosed/);
  assert.equal(Y.encodeStateAsUpdate(doc), before);
});

test('a billion-laughs file is refused in well under a second', () => {
  let dtd = '<!ENTITY lol "lol">';
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
  const bytes = utf8(`<?xml version="1.0"?>\n<!DOCTYPE lolz [${dtd}]>\n<lolz>&lol9;</lolz>`);
  const start = performance.now();
  const { error } = refusal(bytes);
  assert.ok(performance.now() - start < 1000);
  assert.match(error.message, /expands to more than 1000000 characters/);
  assert.is(error.line, 2);
});

test('a recursive entity is refused', () => {
  const { error } = refusal(utf8('<!DOCTYPE a [<!ENTITY x "&y;"><!ENTITY y "&x;">]><a>&x;</a>'));
  assert.match(error.message, /refers to itself/);
});

test('an external entity is kept as written and never fetched', () => {
  const doc = new Y.Doc();
  const text = '<!DOCTYPE a [<!ENTITY ext SYSTEM "file:///etc/passwd">]><a>&ext;</a>';
  importXml(doc, utf8(text), 'ext.xml');
  assert.is(getText(doc, rootElement(doc)), '&ext;');
  assert.equal(exportXml(doc), utf8(text));
});

const binaries: Array<[string, number[]]> = [
  ['PNG image', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]],
  ['ZIP archive', [0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]],
  ['binary file (NUL bytes)', [0x3c, 0x61, ...new Array(200).fill(0), 0x3e]],
  ['binary file (control bytes)', Array.from({ length: 300 }, (_, i) => ((i * 7) % 31) + 1)],
];

for (const [kind, bytes] of binaries) {
  test(`a ${kind} is recognised and refused`, () => {
    const { error } = refusal(new Uint8Array(bytes), 'drop.bin');
    assert.match(error.message, new RegExp(`drop\\.bin: this is a ${kind.replace(/[()]/g, '\\$&')}, not an XML file`));
  });
}

test('a file over 50 MB is refused with its size', () => {
  const { error } = refusal(new Uint8Array(MAX_XML_BYTES + 1));
  assert.match(error.message, /^bad\.xml: file is 50\.0 MB; the limit is 50 MB/);
});

test('an empty file is refused', () => {
  assert.match(refusal(new Uint8Array(0)).error.message, /file is empty/);
});

test('a few control characters in a real file are not mistaken for binary', () => {
  const doc = new Y.Doc();
  importXml(doc, utf8('<a>\u0000\u0001\u0002\u000b\u000c\u001f</a>'), 'ctl.xml');
  assert.ok(doc.getMap('xml').size > 0);
});

test.run();
