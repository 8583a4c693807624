/**
 * Node's UTF-8 codec (src/cli/node-utf8.ts) gives what the runtime's fatal TextDecoder gives:
 * the same string for valid UTF-8, a refusal for invalid UTF-8. The parser with it must return
 * exactly the result it returns without it (encoding detection, Mac OS Roman fallback, text).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nodeUtf8 } from '../../../src/cli/node-utf8.ts';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { textDecoderUtf8 } from '../../../src/core/session/encoding.ts';
import { generateSessionText, randomSessionOptions } from '../../support/session-text-corpus.ts';
import { seededRandom } from './support.ts';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`node-utf8: SEED=${SEED}`);

test('valid UTF-8 decodes to the same string, invalid UTF-8 is refused as TextDecoder refuses it', () => {
  const runtime = textDecoderUtf8();
  const cases: Array<[string, number[]]> = [
    ['empty', []],
    ['ASCII', [0x41, 0x09, 0x0a]],
    ['Latin-1 range', [0x63, 0x61, 0x66, 0xc3, 0xa9]],
    ['BOM kept', [0xef, 0xbb, 0xbf, 0x41]],
    ['en dash', [0xe2, 0x80, 0x93]],
    ['astral', [0xf0, 0x9f, 0x8e, 0x9b]],
    ['NUL', [0x00, 0x41]],
    ['overlong', [0xc0, 0x80]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['cut sequence', [0x41, 0xe2, 0x80]],
    ['lone continuation', [0x80]],
    ['Mac OS Roman e acute', [0x8e, 0x41]],
  ];
  for (const [name, bytes] of cases) {
    const u8 = new Uint8Array(bytes);
    assert.is(nodeUtf8(u8), runtime(u8), name);
  }
  // A view into a larger buffer decodes only its own bytes.
  const whole = new TextEncoder().encode('ab–cd');
  assert.is(nodeUtf8(whole.subarray(2, 5)), '–');
});

test('parsing with Node’s codec gives exactly the result of parsing without it', () => {
  const rnd = seededRandom(SEED);
  for (let run = 0; run < 60; run++) {
    // Every twentieth export is large enough to be decoded in several pieces.
    const size = run % 20 === 0 ? { tracks: 12, clipsPerTrack: 300 } : { clipsPerTrack: Math.floor(rnd() * 40) };
    const options = randomSessionOptions(rnd, size);
    const { bytes } = generateSessionText(rnd, options);
    const garbled = bytes.slice();
    for (let k = 0; k < 3; k++) garbled[Math.floor(rnd() * garbled.length)] = 0x80 + Math.floor(rnd() * 0x80);
    for (const input of [bytes, garbled, new Uint8Array([0xef, 0xbb, 0xbf, ...bytes])]) {
      const where = `SEED=${SEED} run ${run} ${JSON.stringify(options)}`;
      assert.equal(parseSessionText(input, 'f.txt', { decodeUtf8: nodeUtf8 }), parseSessionText(input, 'f.txt'), where);
    }
  }
});

test.run();
