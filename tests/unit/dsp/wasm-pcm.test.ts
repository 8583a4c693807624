/**
 * The WASM kernels decode WAV/AIFF PCM straight into their own memory (pushPcm). For every
 * layout a file can have (8/16/24/32-bit integer, float 32/64, either byte order) and for
 * mono, stereo and 5.1, that must give exactly the same full result as decoding to planar
 * floats in TypeScript (pcm.ts) and pushing those.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodePcm, type PcmFormat } from '../../../src/core/audio/pcm.ts';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';

const LAYOUTS: PcmFormat[] = [
  { kind: 'int', bytes: 1, bigEndian: false, unsigned8: true },
  { kind: 'int', bytes: 1, bigEndian: true, unsigned8: false },
  ...[2, 3, 4].flatMap((bytes) =>
    [false, true].map((bigEndian) => ({ kind: 'int' as const, bytes, bigEndian, unsigned8: false })),
  ),
  ...[4, 8].flatMap((bytes) =>
    [false, true].map((bigEndian) => ({ kind: 'float' as const, bytes, bigEndian, unsigned8: false })),
  ),
];

/** Seeded bytes for `frames` frames; floats run slightly past full scale so clipping and overs are exercised. */
function pcmBytes(frames: number, channels: number, layout: PcmFormat, seed: number): Uint8Array {
  const bytes = new Uint8Array(frames * channels * layout.bytes);
  const view = new DataView(bytes.buffer);
  let state = seed;
  for (let i = 0; i < frames * channels; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const value = (state / 2 ** 32) * 2.2 - 1.1;
    if (layout.kind === 'float') {
      if (layout.bytes === 4) view.setFloat32(i * 4, value, !layout.bigEndian);
      else view.setFloat64(i * 8, value, !layout.bigEndian);
    } else for (let b = 0; b < layout.bytes; b++) bytes[i * layout.bytes + b] = (state >>> (8 * b)) & 0xff;
  }
  return bytes;
}

test('WASM PCM decoding gives the same full result as TypeScript decoding, for every layout and 1, 2 and 6 channels', async () => {
  const kernels = await compileBundledMeterKernels();
  const frames = 30011;
  for (const channels of [1, 2, 6]) {
    for (const layout of LAYOUTS) {
      const seed = 12345 + channels;
      const bytes = pcmBytes(frames, channels, layout, seed);
      const planar = Array.from({ length: channels }, () => new Float32Array(frames));
      decodePcm(bytes, frames, channels, layout, planar);
      const viaPlanar = makeAnalyser({ sampleRate: 48000, channels, kernels });
      viaPlanar.push(planar);
      const viaPcm = makeAnalyser({ sampleRate: 48000, channels, kernels });
      viaPcm.pushPcm(bytes, layout);
      assert.equal(
        viaPcm.finish(),
        viaPlanar.finish(),
        `${channels} channels, ${JSON.stringify(layout)} (seed ${seed})`,
      );
    }
  }
});

test.run();
