/**
 * Golden round trip: every file of the synthetic corpus, in every supported encoding, goes
 * through import -> Yjs update -> second doc -> export and comes back byte-identical.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { exportXml, exportXmlText, importXml, roundtripXml } from '../../../src/core/xml/index.ts';
import { generateAppSet, generateAppSetOfSize, generateLayoutXml, generateOddXml } from '../../support/xml-corpus.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (actual.length === expected.length && Buffer.compare(Buffer.from(actual), Buffer.from(expected)) === 0) return;
  let i = 0;
  while (i < Math.min(actual.length, expected.length) && actual[i] === expected[i]) i++;
  assert.unreachable(`${what}: differs at byte ${i} (lengths ${actual.length} vs ${expected.length})`);
}

const corpus: Array<[string, string]> = [
  ['odd features, LF', generateOddXml('\n')],
  ['odd features, CRLF', generateOddXml('\r\n')],
  ['odd features, CR only', generateOddXml('\r')],
  ['App Set', generateAppSet({ seed: 3 })],
  ['App Set with control characters, CRLF', generateAppSet({ seed: 4, newline: '\r\n', controlChars: true })],
  ['layouts', generateLayoutXml(3, 40)],
  ['no declaration, no trailing newline', '<root a="1"><b/></root>'],
  ['whitespace in tags', '<r\n  a = "1"\t\tb=\'2\'\r\n  ><e  /><f\t></f\n></r   >\n'],
];

for (const [name, text] of corpus) {
  test(`unedited ${name} exports byte-identical (UTF-8)`, () => {
    const bytes = utf8(text);
    assertSameBytes(roundtripXml(bytes, `${name}.xml`), bytes, name);
    const doc = new Y.Doc();
    importXml(doc, bytes, 'x.xml');
    assert.is(exportXmlText(doc), text);
  });
}

test('UTF-8 with BOM keeps the BOM', () => {
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(generateOddXml())]);
  assertSameBytes(roundtripXml(bytes, 'bom.xml'), bytes, 'utf-8 bom');
});

function utf16(text: string, be: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  if (be) le.swap16();
  return new Uint8Array(le);
}

for (const be of [false, true]) {
  for (const bom of [true, false]) {
    test(`UTF-16 ${be ? 'BE' : 'LE'} ${bom ? 'with' : 'without'} BOM round-trips byte-identical`, () => {
      // An emoji (surrogate pair) and an unpaired surrogate, which only a code-unit decoder keeps.
      const text = generateOddXml('\r\n')
        .replace('encoding="UTF-8"', 'encoding="UTF-16"')
        .replace('trailing comment', '\ud83c\udf9a \ud800');
      const bytes = utf16(text, be, bom);
      const doc = new Y.Doc();
      const result = importXml(doc, bytes, 'u16.xml');
      assert.is(result.encoding.encoding, be ? 'utf-16be' : 'utf-16le');
      assertSameBytes(roundtripXml(bytes, 'u16.xml'), bytes, 'utf-16');
    });
  }
}

/** Every byte 0x80-0xFF in text, so each code page's whole upper half is exercised. */
function singleByteFile(label: string): Uint8Array {
  const head = utf8(`<?xml version="1.0" encoding="${label}"?>\r\n<AppSet NAME="`);
  const high = Array.from({ length: 128 }, (_, i) => 0x80 + i).filter((b) => b !== 0x22);
  const mid = utf8(`">\r\n  <Key LABEL="x">`);
  const tail = utf8(`</Key>\r\n</AppSet>\r\n`);
  return new Uint8Array([...head, ...high, ...mid, ...high, 0x01, 0x1f, ...tail]);
}

for (const label of ['ISO-8859-1', 'windows-1252', 'macintosh', 'MacRoman', 'us-ascii']) {
  test(`single-byte ${label} file round-trips byte-identical, every high byte included`, () => {
    const bytes = singleByteFile(label);
    assertSameBytes(roundtripXml(bytes, 'sb.xml'), bytes, label);
  });
}

test('a 10 MB App Set round-trips byte-identical', () => {
  const bytes = utf8(generateAppSetOfSize(10 * 1024 * 1024));
  assert.ok(bytes.length > 9.5 * 1024 * 1024);
  const doc = new Y.Doc();
  importXml(doc, bytes, 'big.xml');
  assertSameBytes(exportXml(doc), bytes, '10 MB');
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  assertSameBytes(exportXml(other), bytes, '10 MB via update');
});

test.run();
