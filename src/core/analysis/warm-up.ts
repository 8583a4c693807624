/**
 * A throwaway analysis that warms a thread before the person's file arrives. Starting a worker
 * and compiling the WASM (12 KB) are quick; what a fresh worker's first analysis pays for is
 * everything running cold: the JavaScript around the kernels (decoder, slicing, loudness
 * windows, overview) still interpreted, the WASM still in its baseline tier. Running the real
 * slice path once over a few seconds of generated audio gets both optimised while the person is
 * still looking for the file. The figures are discarded.
 */
import { MemoryByteSource } from '../audio/byte-source.ts';
import type { AnalysisPart } from '../dsp/analyser.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import { wavHeader } from '../dsp/render/wav-writer.ts';
import { analyseSlice, mergeParts, planSlices, type SplitStream } from './analysis-split.ts';

const RATE = 48000;
/** Long enough that every hot loop runs a few hundred thousand times (~10 ms once optimised). */
const SECONDS = 6;
/** Passes over it: V8 and JavaScriptCore tier hot WASM functions up after enough work, not at once. */
const PASSES = 3;

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

/** What the warm-up measured: a two-slice plan's parts, for the page to merge once (mergeParts runs on the main thread). */
export interface WarmUpParts {
  stream: SplitStream;
  parts: AnalysisPart[];
}

/**
 * Analyses both slices of a two-slice plan (pre-roll, measured range, flush) over the generated
 * file, PASSES times, with `kernels` (undefined: the TypeScript reference). Resolves with the
 * last pass's parts, or null when it could not run; never rejects.
 */
export async function warmUpAnalysis(kernels: KernelFactory | undefined): Promise<WarmUpParts | null> {
  try {
    const bytes = exerciseWav();
    const stream: SplitStream = { sampleRate: RATE, channelLayout: ['FL', 'FR'], frames: RATE * SECONDS };
    const plan = planSlices(RATE, stream.frames, 2, SECONDS / 3);
    let parts: AnalysisPart[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      parts = [];
      for (const span of plan)
        parts.push(await analyseSlice(new MemoryByteSource('warm-up.wav', bytes), span, kernels ? { kernels } : {}));
    }
    return { stream, parts };
  } catch {
    // A warm-up that fails costs nothing but the warm-up: the real analysis reports its own problems.
    return null;
  }
}

/** Merges the warm-up's parts once, so the page's first real merge does not run its code cold (a ~50 ms task at idle). */
export function warmUpMerge(warm: WarmUpParts): void {
  mergeParts(warm.stream, warm.parts);
}
