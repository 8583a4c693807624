import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMacRoman, decodeSessionBytes } from '../../../src/core/session/index.ts';
import { decodeSessionPieces } from '../../../src/core/session/encoding.ts';
import { ascii, fixtureBytes, mustParse } from './support.ts';

test('the Mac OS Roman table matches the WHATWG "macintosh" decoder for all 256 bytes', () => {
  const reference = new TextDecoder('macintosh');
  for (let b = 0; b < 256; b++) {
    const byte = new Uint8Array([b]);
    assert.is(decodeMacRoman(byte), reference.decode(byte), `byte 0x${b.toString(16)}`);
  }
});

test('the UTF-8 and Mac OS Roman exports of the same session decode to the same text', () => {
  const roman = mustParse(fixtureBytes('ExtendedChars_MacRoman_PT2023.3.txt')).session;
  const utf8 = mustParse(fixtureBytes('ExtendedChars_UTF8_PT2023.3.txt')).session;
  assert.is(roman.encoding, 'mac-os-roman');
  assert.is(utf8.encoding, 'utf-8');
  assert.is(roman.asciiOnly, false);
  assert.equal(roman.markers, utf8.markers);
  assert.equal(roman.header, utf8.header);
  assert.equal(
    utf8.markers.map((m) => m.name),
    ['Test Ellipsis\u2026', 'Test Em Dash \u2014', 'Test En Dash \u2013', 'Right Side Quote\u2019s Not An Apostrophe'],
  );
});

test('pure ASCII is reported as Mac OS Roman with asciiOnly set', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.is(session.encoding, 'mac-os-roman');
  assert.is(session.asciiOnly, true);
});

test('bytes that are not valid UTF-8 (truncated, overlong, surrogate) are read as Mac OS Roman', () => {
  for (const bytes of [[0xe2, 0x80, 0x41], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xd5]]) {
    const d = decodeSessionBytes(new Uint8Array([0x41, ...bytes]));
    assert.is(d.encoding, 'mac-os-roman', bytes.join(','));
    assert.is(d.text.length, bytes.length + 1);
  }
  assert.is(decodeSessionBytes(new Uint8Array([0xe2, 0x80, 0x99])).text, '\u2019');
  assert.is(decodeSessionBytes(new Uint8Array([0xf0, 0x9f, 0x8e, 0x9b])).text, '\u{1F39B}');
});

test('a UTF-8 BOM is dropped, marks the file as UTF-8, and the header still parses', () => {
  const text = new TextDecoder().decode(fixtureBytes('MarkerRulersAndTrackMarkers_PT2023.12.txt'));
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...ascii(text)]);
  const { session } = mustParse(withBom);
  assert.is(session.encoding, 'utf-8');
  assert.is(session.header.sessionName, 'Test');
  assert.is(decodeSessionBytes(withBom).bom, true);
});

test('every Mac OS Roman character in a marker name reads the same from both encodings', () => {
  const high = decodeMacRoman(new Uint8Array(Array.from({ length: 128 }, (_, i) => 0x80 + i)));
  const head =
    'SESSION NAME:\tX\nSAMPLE RATE:\t44100.000000\nBIT DEPTH:\t16-bit\nSESSION START TIMECODE:\t00:00:00:00\n' +
    'TIMECODE FORMAT:\t25 Frame\n# OF AUDIO TRACKS:\t0\n# OF AUDIO CLIPS:\t0\n# OF AUDIO FILES:\t0\n\n\n' +
    'M A R K E R S  L I S T I N G\n#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tCOMMENTS\n';
  const row = `1   \t00:00:01:00  \t44100             \tSamples  \t${high}\t${high}\n`;
  const romanBytes = new Uint8Array([
    ...ascii(head + '1   \t00:00:01:00  \t44100             \tSamples  \t'),
    ...Array.from({ length: 128 }, (_, i) => 0x80 + i),
    9,
    ...Array.from({ length: 128 }, (_, i) => 0x80 + i),
    10,
  ]);
  const fromRoman = mustParse(romanBytes).session;
  const fromUtf8 = mustParse(ascii(head + row)).session;
  assert.is(fromRoman.encoding, 'mac-os-roman');
  assert.is(fromUtf8.encoding, 'utf-8');
  assert.equal(fromRoman.markers, fromUtf8.markers);
  assert.is(fromUtf8.markers[0]?.name, high.replace(/ +$/, ''));
  assert.is(fromUtf8.markers[0]?.comments, high);
});

test('CRLF and CR line endings give the same session as LF', () => {
  for (const name of [
    'OneOfEverything_PT2020.3.txt',
    'NewLinesAndTabs_PT2023.6.txt',
    'ExtendedChars_MacRoman_PT2023.3.txt',
  ]) {
    const bytes = fixtureBytes(name);
    const lf = mustParse(bytes, name).session;
    for (const [ending, eol] of [
      ['CRLF', [13, 10]],
      ['CR', [13]],
    ] as const) {
      const converted: number[] = [];
      for (const b of bytes)
        if (b === 10) converted.push(...eol);
        else converted.push(b);
      const other = mustParse(new Uint8Array(converted), name).session;
      assert.is(other.lineEnding, ending);
      assert.equal({ ...other, lineEnding: 'LF' }, lf, `${name} with ${ending}`);
    }
  }
});

test('a large text is decoded in pieces cut after line breaks (never inside CRLF), with the same text and encoding', () => {
  // ~1.3 MB: several pieces; every break kind and a non-ASCII character near every cut.
  const line = (i: number): string => `${i}\tClip é– ${i}${['\n', '\r\n', '\r'][i % 3]}`;
  const text = Array.from({ length: 60_000 }, (_, i) => line(i)).join('');
  const bytes = new TextEncoder().encode(text);
  const decoded = decodeSessionPieces(bytes);
  assert.ok(decoded.pieces.length > 3, `${decoded.pieces.length} pieces`);
  assert.is(decoded.pieces.join(''), text);
  assert.is(decoded.encoding, 'utf-8');
  for (const [k, piece] of decoded.pieces.entries()) {
    if (k < decoded.pieces.length - 1) assert.ok(/(\n|\r)$/.test(piece), `piece ${k} ends with a break`);
    if (k > 0) assert.not.ok(piece.startsWith('\n') && decoded.pieces[k - 1]?.endsWith('\r'), `CRLF cut at ${k}`);
  }
  // One invalid UTF-8 byte in the last piece makes the whole file Mac OS Roman, as before.
  const broken = bytes.slice();
  broken[broken.length - 3] = 0xff;
  const roman = decodeSessionPieces(broken);
  assert.is(roman.encoding, 'mac-os-roman');
  assert.is(roman.pieces.join(''), decodeMacRoman(broken));
});

test.run();
