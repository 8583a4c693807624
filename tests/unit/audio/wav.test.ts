import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BlobByteSource, MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { openAudio } from '../../../src/core/audio/open-audio.ts';
import { quantise, writeWav } from '../../support/wav-writer.ts';
import type { WavSampleFormat } from '../../support/wav-writer.ts';
import { seededRandom, sine } from '../../support/signals.ts';
import { decodeAll, rejects } from './decode-all.ts';

const FS = 48000;
const BITS: Record<WavSampleFormat, number> = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 };

function noise(seed: number, n: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => r() * 1.9 - 0.95);
}

for (const format of Object.keys(BITS) as WavSampleFormat[]) {
  test(`WAV ${format} decodes to the exact quantised samples`, async () => {
    const src = [noise(1, 70000), noise(2, 70000)];
    const { info, planar } = await decodeAll(writeWav(src, { sampleRate: FS, format }));
    assert.is(info.sampleRate, FS);
    assert.is(info.bitsPerSample, BITS[format]);
    for (let c = 0; c < 2; c++) {
      for (let i = 0; i < src[c]!.length; i += 97) {
        const v = src[c]![i]!;
        const expected = format.startsWith('float') ? v : quantise(v, BITS[format]) / 2 ** (BITS[format] - 1);
        assert.ok(
          Math.abs(planar[c]![i]! - expected) < 1e-9,
          `${format} ch${c} sample ${i}: ${planar[c]![i]} vs ${expected}`,
        );
      }
    }
  });
}

test('WAVE_FORMAT_EXTENSIBLE channel masks become channel layouts (mono, 5.1, 7.1)', async () => {
  const ch = (n: number) => Array.from({ length: n }, () => new Float32Array(100));
  assert.equal(
    (await decodeAll(writeWav(ch(1), { sampleRate: FS, format: 'pcm24', channelMask: 0x4 }))).info.channelLayout,
    ['mono'],
  );
  assert.equal(
    (await decodeAll(writeWav(ch(6), { sampleRate: FS, format: 'pcm24', channelMask: 0x60f }))).info.channelLayout,
    ['FL', 'FR', 'FC', 'LFE', 'SL', 'SR'],
  );
  assert.equal(
    (await decodeAll(writeWav(ch(8), { sampleRate: FS, format: 'float32', channelMask: 0x63f }))).info.channelLayout,
    ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR', 'SL', 'SR'],
  );
});

test('the channel mask decides loudness weights: LFE in a 5.1 file does not count', async () => {
  const tone = sine(FS, 3, 1000, 0.5);
  const silent = new Float32Array(tone.length);
  const bytes = writeWav([silent, silent, silent, tone, silent, silent], {
    sampleRate: FS,
    format: 'pcm24',
    channelMask: 0x3f,
  });
  const r = await analyseAudio(new MemoryByteSource('lfe.wav', bytes));
  assert.is(r.result.loudness.integrated.value, null);
});

test('RF64 files read their sizes from ds64', async () => {
  const src = [sine(FS, 1, 440, 0.5)];
  const { info, planar } = await decodeAll(writeWav(src, { sampleRate: FS, format: 'pcm16', rf64: true }), 'big.wav');
  assert.is(info.format, 'rf64');
  assert.is(planar[0]!.length, FS);
});

test('BW64 files (EBU Tech 3285 s5) read like RF64', async () => {
  const bytes = writeWav([sine(FS, 1, 440, 0.5), sine(FS, 1, 440, 0.25)], {
    sampleRate: FS,
    format: 'pcm24',
    rf64: true,
    channelMask: 0x3,
  });
  bytes.set([0x42, 0x57, 0x36, 0x34], 0); // 'BW64'
  const { info, planar } = await decodeAll(bytes, 'broadcast.wav');
  assert.is(info.format, 'bw64');
  assert.equal(info.channelLayout, ['FL', 'FR']);
  assert.is(planar[1]!.length, FS);
});

test('a truncated WAV is analysed up to where its data ends, with a warning', async () => {
  const bytes = writeWav([sine(FS, 2, 440, 0.5), sine(FS, 2, 440, 0.5)], { sampleRate: FS, format: 'pcm16' });
  const cut = bytes.subarray(0, 44 + FS * 4 + 3); // 1 s of stereo 16-bit plus a partial frame
  const r = await analyseAudio(new MemoryByteSource('cut.wav', cut));
  assert.is(r.result.file.frames.value, FS);
  assert.ok(
    r.result.warnings.some((w) => w.startsWith('cut.wav: truncated') && w.includes('0:01.000')),
    r.result.warnings.join('\n'),
  );
});

function patched(edit: (v: DataView) => void, format: WavSampleFormat = 'pcm16', channels = 2): Uint8Array {
  const bytes = writeWav(
    Array.from({ length: channels }, () => sine(FS, 0.5, 440, 0.5)),
    { sampleRate: FS, format },
  );
  edit(new DataView(bytes.buffer));
  return bytes;
}

test('bad WAV headers get a clear message naming the file and the problem', async () => {
  await rejects(
    patched((v) => v.setUint16(22, 0, true)),
    'zero.wav',
    /0 channels/,
  );
  await rejects(
    patched((v) => v.setUint16(22, 33, true)),
    'many.wav',
    /33 channels/,
  );
  await rejects(
    patched((v) => v.setUint16(20, 0x55, true)),
    'mp3.wav',
    /unsupported WAV codec 0x0055 \(MPEG Layer III/,
  );
  await rejects(
    patched((v) => v.setUint16(32, 3, true)),
    'align.wav',
    /block align 3 does not fit 2 channels of 16-bit/,
  );
  await rejects(
    patched((v) => v.setUint32(24, 0, true)),
    'rate.wav',
    /sample rate of 0 Hz/,
  );
  await rejects(
    patched((v) => v.setUint32(40, 0, true)),
    'empty.wav',
    /data chunk is empty/,
  );
  await rejects(new Uint8Array(0), 'nothing.wav', /empty \(0 bytes\)/);
  await rejects(new TextEncoder().encode('hello, this is not audio at all'), 'text.wav', /unknown audio format/);
  await rejects(
    writeWav([sine(FS, 0.5, 440, 0.5)], { sampleRate: FS, format: 'pcm16' }).subarray(0, 30),
    'short.wav',
    /no fmt chunk|fmt chunk is/,
  );
});

test('NaN and infinite float samples are refused with file, channel and time', async () => {
  const x = sine(FS, 1, 440, 0.5);
  x[24000] = NaN;
  await rejects(
    writeWav([new Float32Array(FS), x], { sampleRate: FS, format: 'float32' }),
    'nan.wav',
    /NaN sample in channel 2 at 0:00\.500/,
  );
  const y = sine(FS, 1, 440, 0.5);
  y[100] = -Infinity;
  await rejects(writeWav([y], { sampleRate: FS, format: 'float64' }), 'inf.wav', /infinite sample in channel 1/);
});

test('a data chunk size that lies (huge) ends at the file end instead of hanging', async () => {
  const bytes = patched((v) => v.setUint32(40, 0xfffffff0, true));
  const decoder = await openAudio(new MemoryByteSource('lie.wav', bytes));
  let frames = 0;
  for await (const chunk of decoder.chunks()) frames += chunk[0]!.length;
  assert.is(frames, FS / 2);
  assert.ok(decoder.warnings.some((w) => w.includes('truncated')));
});

test('MP3, Ogg and MP4 inputs are recognised and sent to the browser decoders', async () => {
  await rejects(
    new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64]),
    'song.mp3',
    /MP3.*browser/,
  );
  await rejects(new TextEncoder().encode('OggS\0\x02\0\0\0\0\0\0\0\0\0\0'), 'song.opus', /Ogg.*browser/);
  await rejects(new TextEncoder().encode('\0\0\0\x20ftypM4A \0\0\0\0'), 'song.m4a', /MP4\/M4A.*browser/);
});

test('a Blob feeds the decoder slice by slice (as a browser File would)', async () => {
  const bytes = writeWav([sine(FS, 3, 1000, 10 ** (-23 / 20)), sine(FS, 3, 1000, 10 ** (-23 / 20))], {
    sampleRate: FS,
    format: 'pcm24',
  });
  const r = await analyseAudio(new BlobByteSource('drop.wav', new Blob([new Uint8Array(bytes)])));
  assert.ok(Math.abs(r.result.loudness.integrated.value! + 23) < 0.1);
});

test('progress climbs monotonically to 100 and an aborted analysis stops with a named error', async () => {
  const bytes = writeWav([sine(FS, 8, 440, 0.5)], { sampleRate: FS, format: 'pcm16' });
  const seen: number[] = [];
  await analyseAudio(new MemoryByteSource('p.wav', bytes), { onProgress: (p) => seen.push(p) });
  assert.is(seen[seen.length - 1], 100);
  assert.ok(
    seen.every((p, i) => i === 0 || p > seen[i - 1]!),
    seen.join(','),
  );
  const controller = new AbortController();
  let calls = 0;
  const run = analyseAudio(new MemoryByteSource('c.wav', bytes), {
    signal: controller.signal,
    onProgress: () => {
      if (++calls === 2) controller.abort();
    },
  });
  await run.then(
    () => assert.unreachable('not cancelled'),
    (e: Error) => assert.match(e.message, /^c\.wav: analysis cancelled/),
  );
});

test.run();
