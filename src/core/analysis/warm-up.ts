/**
 * A throwaway analysis that warms a thread before the person's file arrives. Starting a worker
 * and compiling the WASM (12 KB) are quick; what a fresh worker's first analysis pays for is
 * everything running cold: the JavaScript around the kernels (decoder, slicing, loudness
 * windows, overview) still interpreted, the WASM still in its baseline tier. Running the real
 * slice path once over a few seconds of generated audio gets both optimised while the person is
 * still looking for the file. The figures are discarded.
 */
import { MemoryByteSource } from '../audio/byte-source.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import { wavHeader } from '../dsp/render/wav-writer.ts';
import { analyseSlice, planSlices } from './analysis-split.ts';

const RATE = 48000;
/** Long enough that every hot loop runs a few hundred thousand times (~10 ms once optimised). */
const SECONDS = 6;

/** 24-bit stereo, the usual delivery format: a chord with a slow swell and some noise (every kernel branch sees audio). */
function exerciseWav(): Uint8Array {
  const frames = RATE * SECONDS;
  const header = wavHeader({ sampleRate: RATE, layout: ['FL', 'FR'], format: 'pcm24', frames });
  const out = new Uint8Array(header.length + frames * 6);
  out.set(header);
  let seed = 12345,
    p = header.length;
  for (let n = 0; n < frames; n++) {
    const t = n / RATE;
    const swell = 0.3 + 0.25 * Math.sin(2 * Math.PI * 0.5 * t);
    for (let c = 0; c < 2; c++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed / 2 ** 32 - 0.5) * 0.05;
      const v = swell * (Math.sin(2 * Math.PI * (220 + 110 * c) * t) + 0.5 * Math.sin(2 * Math.PI * 3300 * t)) + noise;
      const s = Math.max(-8388608, Math.min(8388607, Math.round(v * 0.6 * 8388608)));
      out[p++] = s & 0xff;
      out[p++] = (s >> 8) & 0xff;
      out[p++] = (s >> 16) & 0xff;
    }
  }
  return out;
}

/**
 * Runs the last slice of a two-slice plan (pre-roll, measured range, flush) over the generated
 * file with `kernels` (undefined: the TypeScript reference). Resolves with whether it ran to the
 * end; never rejects.
 */
export async function warmUpAnalysis(kernels: KernelFactory | undefined): Promise<boolean> {
  try {
    const bytes = exerciseWav();
    const span = planSlices(RATE, RATE * SECONDS, 2, SECONDS / 3).at(-1)!;
    const part = await analyseSlice(new MemoryByteSource('warm-up.wav', bytes), span, kernels ? { kernels } : {});
    return part.span.last;
  } catch {
    // A warm-up that fails costs nothing but the warm-up: the real analysis reports its own problems.
    return false;
  }
}
