/**
 * The FLAC decoder against files made by ffmpeg and sox (lossless: decoded samples must equal
 * the quantised source exactly). Skipped, with a printed message, where the tools are missing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { mixLike, seededRandom, sine } from '../../support/signals.ts';
import { quantise, writeWav } from '../../support/wav-writer.ts';
import { decodeAll, hasTool, rejects } from './decode-all.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-flac-'));
const ffmpeg = hasTool('ffmpeg');
const sox = hasTool('sox');
if (!ffmpeg) console.log('SKIPPED: ffmpeg is not installed, FLAC files made by ffmpeg are not checked');
if (!sox) console.log('SKIPPED: sox is not installed, FLAC files made by sox are not checked');

/** Programme-like content plus a quiet stretch and full-scale noise, to exercise every subframe type. */
function content(channels: number, sampleRate: number, seed: number): Float32Array[] {
  const [l, r] = mixLike(sampleRate, 1.5, seed);
  const rand = seededRandom(seed);
  return Array.from({ length: channels }, (_, c) => {
    const x = new Float32Array(l!.length + 8000);
    x.set(c % 2 ? r! : l!);
    for (let i = l!.length + 4000; i < x.length; i++) x[i] = rand() * 2 - 1;
    if (c >= 2) for (let i = 0; i < l!.length; i++) x[i] = 0.5 * x[i]! + 0.3 * Math.sin(i * 0.01 * (c + 1));
    return x;
  });
}

function roundTrip(
  name: string,
  channels: number,
  sampleRate: number,
  bits: 16 | 24,
  make: (wav: string, flac: string) => void,
): void {
  test(`FLAC ${name}: ${channels} ch, ${bits}-bit, ${sampleRate} Hz decodes bit-exactly`, async () => {
    const src = content(channels, sampleRate, channels * 100 + bits);
    const wav = join(dir, `${name}.wav`),
      flac = join(dir, `${name}.flac`);
    writeFileSync(wav, writeWav(src, { sampleRate, format: bits === 16 ? 'pcm16' : 'pcm24' }));
    make(wav, flac);
    const { info, planar, warnings } = await decodeAll(readFileSync(flac), `${name}.flac`);
    assert.is(info.format, 'flac');
    assert.is(info.sampleRate, sampleRate);
    assert.is(info.bitsPerSample, bits);
    assert.equal(warnings, []);
    for (let c = 0; c < channels; c++) {
      assert.is(planar[c]!.length, src[c]!.length, `channel ${c} length`);
      for (let i = 0; i < src[c]!.length; i++) {
        const expected = quantise(src[c]![i]!, bits) / 2 ** (bits - 1);
        if (planar[c]![i] !== Math.fround(expected))
          assert.unreachable(`${name} ch${c} sample ${i}: ${planar[c]![i]} vs ${expected}`);
      }
    }
  });
}

const ff =
  (...args: string[]) =>
  (wav: string, flac: string) => {
    execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', wav, ...args, flac]);
  };
if (ffmpeg) {
  roundTrip('ffmpeg-l0', 2, 44100, 16, ff('-compression_level', '0'));
  roundTrip('ffmpeg-l8', 2, 48000, 16, ff('-compression_level', '8'));
  roundTrip('ffmpeg-l12', 2, 96000, 24, ff('-compression_level', '12'));
  roundTrip('ffmpeg-mono', 1, 48000, 24, ff('-compression_level', '5'));
  roundTrip('ffmpeg-5.1', 6, 48000, 24, ff('-compression_level', '5'));
  roundTrip('ffmpeg-small-blocks', 2, 22050, 16, ff('-frame_size', '1152', '-lpc_type', 'cholesky'));
}
if (sox) {
  roundTrip('sox-16', 2, 44100, 16, (wav, flac) => execFileSync('sox', [wav, '-C', '8', flac]));
  roundTrip('sox-24', 2, 48000, 24, (wav, flac) => execFileSync('sox', [wav, flac]));
}

test('a truncated FLAC is decoded up to its last whole frame, with a warning', async () => {
  if (!ffmpeg) {
    console.log('SKIPPED: needs ffmpeg');
    return;
  }
  const wav = join(dir, 'cut.wav'),
    flac = join(dir, 'cut.flac');
  writeFileSync(
    wav,
    writeWav([sine(48000, 4, 440, 0.5), sine(48000, 4, 660, 0.5)], { sampleRate: 48000, format: 'pcm16' }),
  );
  ff()(wav, flac);
  const bytes = readFileSync(flac);
  const r = await analyseAudio(new MemoryByteSource('cut.flac', bytes.subarray(0, Math.floor(bytes.length * 0.6))));
  assert.ok(r.result.file.duration.value > 1.5 && r.result.file.duration.value < 4, `${r.result.file.duration.value}`);
  assert.ok(
    r.result.warnings.some((w) => w.startsWith('cut.flac: truncated')),
    r.result.warnings.join('\n'),
  );
});

test('corrupted FLAC frames are reported and skipped, never hang', async () => {
  if (!ffmpeg) {
    console.log('SKIPPED: needs ffmpeg');
    return;
  }
  const wav = join(dir, 'bad.wav'),
    flac = join(dir, 'bad.flac');
  writeFileSync(wav, writeWav([sine(48000, 3, 440, 0.5)], { sampleRate: 48000, format: 'pcm16' }));
  ff()(wav, flac);
  const bytes = new Uint8Array(readFileSync(flac));
  const rand = seededRandom(99);
  for (let i = 0; i < 40; i++) {
    const k = Math.floor(bytes.length * (0.3 + 0.4 * rand()));
    bytes[k] = bytes[k]! ^ 0x5a;
  }
  const r = await analyseAudio(new MemoryByteSource('bad.flac', bytes));
  assert.ok(
    r.result.warnings.some((w) => /CRC-16|skipped|STREAMINFO declares/.test(w)),
    r.result.warnings.join('\n'),
  );
});

test('FLAC without STREAMINFO or with garbage audio is refused with the file name', async () => {
  await rejects(new TextEncoder().encode('fLaC\x81\0\0\0'), 'nohead.flac', /no STREAMINFO block|metadata/);
  const junk = new Uint8Array(4 + 4 + 34 + 500);
  junk.set(new TextEncoder().encode('fLaC'), 0);
  junk.set([0x80, 0, 0, 34], 4);
  junk.set([0x10, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0x0b, 0xb8, 0x02, 0xf0, 0, 0, 0, 0], 8); // 48 kHz, 2 ch, 16-bit
  await rejects(junk, 'junk.flac', /no decodable FLAC frame/);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
