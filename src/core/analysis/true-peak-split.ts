/**
 * True peak in a second worker: the 4x interpolator is the most expensive single part of the
 * analysis on loud masters (measured in Node on a 4-minute 48 kHz master peaking at -0.2 dBTP:
 * full analysis 820 ms; everything but true peak 498 ms; true peak alone, with its own decode,
 * 375 ms). One worker runs the analyser with the true-peak kernel switched off, another decodes
 * the same File (Blobs are shared between workers, not copied) and runs only the true-peak
 * kernel; the main thread then writes the second worker's figures into the first one's result.
 *
 * Only values are replaced; units and definitions stay those of the core's result builder, and
 * the formulas are the schema's own definitions (true peak at least the sample peak, PLR = TP - I,
 * PSR = TP - max S). If the core ever offers this split itself, this file goes.
 */
import type { ByteSource } from '../audio/byte-source.ts';
import { openAudio } from '../audio/open-audio.ts';
import { kWeightingFilters } from '../dsp/k-weighting.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import { makeTsKernels } from '../dsp/kernels.ts';
import type { AnalysisResult, OversFigure } from '../dsp/result-schema.ts';
import { INTERPOLATOR_DELAY, MAX_OVER_POSITIONS, TruePeakChannel, type OverEvents } from '../dsp/true-peak.ts';
import { finiteOrNull } from '../dsp/units.ts';

export interface ChannelTruePeak {
  peakDbtp: number | null;
  peakAt: number;
  overs: OverEvents[];
}

/** Kernels that skip the interpolator (reporting a largest magnitude of 0, so nothing is observed). */
export function withoutTruePeak(factory: KernelFactory): KernelFactory {
  return (channels, filters) => ({ ...factory(channels, filters), truePeak: () => 0 });
}

/** Decodes `source` and runs only the true-peak kernel over it. */
export async function truePeakPass(
  source: ByteSource,
  signal: AbortSignal,
  factory: KernelFactory = makeTsKernels,
): Promise<ChannelTruePeak[]> {
  const decoder = await openAudio(source);
  const { channels, sampleRate } = decoder.info;
  const kernels = factory(channels, kWeightingFilters(sampleRate));
  const meters = Array.from({ length: channels }, () => new TruePeakChannel(sampleRate));
  const run = (chunk: readonly Float32Array[], length: number) => {
    for (let offset = 0; offset < length; offset += kernels.maxFrames) {
      const n = Math.min(kernels.maxFrames, length - offset);
      kernels.begin(n);
      for (let c = 0; c < channels; c++) {
        kernels.load(c, chunk[c]!.subarray(offset, offset + n), n);
        meters[c]!.consume(kernels.truePeakOut, n, kernels.truePeak(c, meters[c]!.skipFloor()));
      }
    }
  };
  for await (const chunk of decoder.chunks()) {
    if (signal.aborted) throw new Error(`${source.name}: analysis cancelled`);
    run(chunk, chunk[0]!.length);
  }
  // The interpolator lags by INTERPOLATOR_DELAY samples: flush with as many zeros, as the analyser does.
  const tail = new Float32Array(INTERPOLATOR_DELAY);
  run(
    Array.from({ length: channels }, () => tail),
    tail.length,
  );
  return meters.map((m) => ({ peakDbtp: finiteOrNull(m.peakDbtp), peakAt: m.peakAt, overs: m.overs }));
}

function setOvers(figure: OversFigure, events: OverEvents[]): void {
  figure.count.value = events.reduce((n, e) => n + e.count, 0);
  figure.positions.value = events
    .flatMap((e) => e.positions)
    .sort((a, b) => a - b)
    .slice(0, MAX_OVER_POSITIONS);
}

/** Writes the second worker's true peaks into a result computed without them. */
export function applyTruePeaks(result: AnalysisResult, peaks: ChannelTruePeak[]): void {
  result.channels.forEach((ch, c) => {
    const tp = peaks[c];
    if (!tp) return;
    const sample = ch.samplePeak.value;
    const fromInterpolator = tp.peakDbtp !== null && (sample === null || tp.peakDbtp >= sample);
    ch.truePeak.value = fromInterpolator ? tp.peakDbtp : sample;
    ch.truePeakAt.value = ch.truePeak.value === null ? null : fromInterpolator ? tp.peakAt : ch.samplePeakAt.value;
    setOvers(ch.oversAboveMinus1, [tp.overs[0]!]);
    setOvers(ch.oversAbove0, [tp.overs[1]!]);
  });
  const best = result.channels.reduce(
    (a, b) => ((b.truePeak.value ?? -Infinity) > (a.truePeak.value ?? -Infinity) ? b : a),
    result.channels[0]!,
  );
  const truePeak = best.truePeak.value;
  result.peaks.truePeak.value = truePeak;
  result.peaks.truePeakAt.value = best.truePeakAt.value;
  setOvers(
    result.peaks.oversAboveMinus1,
    peaks.map((p) => p.overs[0]!),
  );
  setOvers(
    result.peaks.oversAbove0,
    peaks.map((p) => p.overs[1]!),
  );
  const i = result.loudness.integrated.value,
    s = result.loudness.shortTermMax.value;
  result.dynamics.plr.value = truePeak === null || i === null ? null : truePeak - i;
  result.dynamics.psr.value = truePeak === null || s === null ? null : truePeak - s;
}
