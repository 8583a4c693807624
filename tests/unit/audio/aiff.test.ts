import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { readExtended } from '../../../src/core/audio/aiff.ts';
import { quantise } from '../../support/wav-writer.ts';
import { seededRandom, sine } from '../../support/signals.ts';
import { decodeAll, rejects } from './decode-all.ts';

type Kind = 'NONE' | 'sowt' | 'fl32' | 'fl64';

/** 80-bit extended encoding of an integer sample rate (exponent, then a 64-bit mantissa with explicit integer bit). */
function extended(rate: number): Uint8Array {
  const out = new Uint8Array(10);
  const exp = Math.floor(Math.log2(rate));
  out[0] = (exp + 16383) >> 8;
  out[1] = (exp + 16383) & 0xff;
  const top = Math.round((rate / 2 ** exp) * 2 ** 31);
  new DataView(out.buffer).setUint32(2, top);
  return out;
}

/** Builds AIFF (kind NONE) or AIFF-C bytes from planar floats. */
function writeAiff(planar: Float32Array[], rate: number, bits: number, kind: Kind): Uint8Array {
  const channels = planar.length,
    frames = planar[0]!.length;
  const bytes = kind === 'fl32' ? 4 : kind === 'fl64' ? 8 : bits / 8;
  const aifc = kind !== 'NONE';
  const commSize = aifc ? 18 + 4 + 2 : 18;
  const dataSize = frames * channels * bytes;
  const total = 12 + 8 + commSize + 8 + 8 + dataSize;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  const str = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  };
  str(0, 'FORM');
  v.setUint32(4, total - 8);
  str(8, aifc ? 'AIFC' : 'AIFF');
  str(12, 'COMM');
  v.setUint32(16, commSize);
  v.setUint16(20, channels);
  v.setUint32(22, frames);
  v.setUint16(26, kind === 'fl32' ? 32 : kind === 'fl64' ? 64 : bits);
  out.set(extended(rate), 28);
  if (aifc) {
    str(38, kind);
    v.setUint16(42, 0);
  }
  let p = 12 + 8 + commSize;
  str(p, 'SSND');
  v.setUint32(p + 4, 8 + dataSize);
  p += 16;
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++) {
      const s = planar[c]![i]!;
      if (kind === 'fl32') v.setFloat32(p, s);
      else if (kind === 'fl64') v.setFloat64(p, s);
      else {
        const q = quantise(s, bits);
        for (let b = 0; b < bytes; b++) {
          const byte = (q >> (8 * (bytes - 1 - b))) & 0xff;
          out[kind === 'sowt' ? p + bytes - 1 - b : p + b] = byte;
        }
      }
      p += bytes;
    }
  return out;
}

test('80-bit extended sample rates decode exactly', () => {
  for (const rate of [44100, 48000, 96000, 192000, 22050]) assert.is(readExtended(extended(rate), 0), rate);
});

const cases: [Kind, number][] = [
  ['NONE', 16],
  ['NONE', 24],
  ['sowt', 16],
  ['sowt', 24],
  ['fl32', 32],
  ['fl64', 64],
];
for (const [kind, bits] of cases) {
  test(`AIFF${kind === 'NONE' ? '' : `-C '${kind}'`} ${bits}-bit decodes to the exact samples`, async () => {
    const r = seededRandom(bits);
    const src = [
      Float32Array.from({ length: 5000 }, () => r() * 1.8 - 0.9),
      Float32Array.from({ length: 5000 }, () => r() * 1.8 - 0.9),
    ];
    const { info, planar } = await decodeAll(writeAiff(src, 44100, bits, kind), 'x.aif');
    assert.is(info.sampleRate, 44100);
    assert.is(info.format, kind === 'NONE' ? 'aiff' : 'aifc');
    for (let i = 0; i < 5000; i += 7) {
      const expected = kind.startsWith('fl') ? src[1]![i]! : quantise(src[1]![i]!, bits) / 2 ** (bits - 1);
      assert.ok(Math.abs(planar[1]![i]! - expected) < 1e-9, `sample ${i}`);
    }
  });
}

test('an AIFF tone measures like the same WAV tone (-23 dBFS stereo reads -23 LUFS)', async () => {
  const t = sine(48000, 5, 1000, 10 ** (-23 / 20));
  const r = await analyseAudio(new MemoryByteSource('tone.aiff', writeAiff([t, t], 48000, 24, 'NONE')));
  assert.ok(Math.abs(r.result.loudness.integrated.value! + 23) < 0.1);
});

test('a truncated AIFF is analysed up to where the sound data ends, with a warning', async () => {
  const t = sine(48000, 2, 1000, 0.5);
  const bytes = writeAiff([t], 48000, 16, 'NONE');
  const r = await analyseAudio(new MemoryByteSource('cut.aiff', bytes.subarray(0, bytes.length - 48000 * 2)));
  assert.is(r.result.file.frames.value, 48000);
  assert.ok(r.result.warnings.some((w) => w.startsWith('cut.aiff: truncated')));
});

test('compressed AIFF-C and broken AIFF headers are refused with the file name', async () => {
  const bytes = writeAiff([sine(48000, 0.1, 1000, 0.5)], 48000, 16, 'sowt');
  bytes.set([0x75, 0x6c, 0x61, 0x77], 38); // 'ulaw'
  await rejects(bytes, 'law.aifc', /unsupported AIFF-C compression 'ulaw'/);
  const zero = writeAiff([sine(48000, 0.1, 1000, 0.5)], 48000, 16, 'NONE');
  new DataView(zero.buffer).setUint16(20, 0);
  await rejects(zero, 'zero.aiff', /the header declares 0 channels/);
});

test.run();
