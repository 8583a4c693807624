/** Shared helper for the DSP suites: analyse planar audio in uneven chunks, as a decoder would deliver it. */
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import type { ChannelLabel } from '../../../src/core/dsp/channels.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';

export function measure(planar: Float32Array[], sampleRate: number, channelLayout?: ChannelLabel[]): AnalysisResult {
  const analyser = makeAnalyser({ sampleRate, channels: planar.length, ...(channelLayout ? { channelLayout } : {}) });
  const length = planar[0]!.length;
  let offset = 0,
    step = 3001;
  while (offset < length) {
    const end = Math.min(length, offset + step);
    analyser.push(planar.map((c) => c.subarray(offset, end)));
    offset = end;
    step = step === 3001 ? 17000 : 3001;
  }
  return analyser.finish();
}

/** Asserts |actual - expected| within tolerance, with a message naming the quantity. */
export function near(actual: number | null, expected: number, below: number, above: number, what: string): void {
  if (actual === null || !(actual >= expected - below && actual <= expected + above)) {
    throw new Error(`${what}: expected ${expected} (-${below}/+${above}), got ${actual}`);
  }
}
