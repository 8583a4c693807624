/**
 * The codec check's result: a platform's delivery codec applied to the mix and decoded back,
 * measured with the same analyser as the report. What it keeps is figures only (never audio),
 * small enough to live in the report document: true peak and loudness before and after, the
 * overs the codec adds and where, a suggested ceiling, and one sentence for the normalisation
 * preview ("after Apple Music's AAC 256 kbit/s: +0.6 dBTP at 1:12 and 2:40; lower the ceiling
 * to -1.5 dBTP").
 */
import type { CodecName, StreamingTarget } from '../diagnostics/delivery-targets.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import { listRanges, overRanges, type OverRange } from './over-ranges.ts';

export const CODEC_LABEL: Record<CodecName, string> = { aac: 'AAC', opus: 'Opus', vorbis: 'Ogg Vorbis', mp3: 'MP3' };

/**
 * The suggested ceiling leaves the codec's measured overshoot plus this margin below full
 * scale: another encoder version, or another passage of the same song, overshoots differently.
 */
export const CEILING_MARGIN_DB = 0.5;
/** Over ranges kept in a record (a report must stay small whatever the file). */
export const MAX_RANGES = 50;

export interface CodecFigures {
  truePeakDbtp: number | null;
  samplePeakDbfs: number | null;
  integratedLufs: number | null;
  /** Overs above 0 dBTP (runs of the 4x oversampled signal, all channels). */
  oversAbove0: number;
  /** Samples beyond full scale: a fixed-point player clips each one. */
  clippedSamples: number;
}

export interface CodecCheckRecord {
  checkedAt: number;
  inputName: string;
  platformId: string;
  platformName: string;
  codec: CodecName;
  bitrateKbps: number;
  /** What encoded it, e.g. "WebCodecs AudioEncoder (opus)" or "ffmpeg aac". */
  encoder: string;
  before: CodecFigures;
  after: CodecFigures;
  /** Integrated loudness after minus before (LU), null when either is undefined. */
  loudnessChangeLu: number | null;
  /** True peak after minus before (dB). */
  peakChangeDb: number | null;
  overRanges: OverRange[];
  /** A lower true-peak ceiling that keeps the decoded peaks under full scale, or null when none is needed. */
  suggestedCeilingDbtp: number | null;
  sentence: string;
  elapsedMs: number;
}

/** One source's figures from an analysis result, plus the clip count the caller counted on the samples. */
export function codecFigures(r: AnalysisResult, clippedSamples: number): CodecFigures {
  return {
    truePeakDbtp: r.peaks.truePeak.value,
    samplePeakDbfs: r.peaks.samplePeak.value,
    integratedLufs: r.loudness.integrated.value,
    oversAbove0: r.peaks.oversAbove0.count.value,
    clippedSamples,
  };
}

const dbtp = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)} dBTP`;

export interface CodecCheckInput {
  platform: StreamingTarget;
  inputName: string;
  encoder: string;
  before: AnalysisResult;
  beforeClipped: number;
  after: AnalysisResult;
  afterClipped: number;
  /** Encoder delay still in the decoded stream, in seconds (0 when the decoder removed it). */
  delaySeconds: number;
  checkedAt: number;
  elapsedMs: number;
}

/** The ceiling that keeps the decoded peak CEILING_MARGIN_DB under full scale, never above the platform's own advice. */
export function suggestCeiling(before: CodecFigures, after: CodecFigures, platformCeilingDbtp: number): number | null {
  if (after.truePeakDbtp === null || before.truePeakDbtp === null) return null;
  if (after.truePeakDbtp <= platformCeilingDbtp && after.oversAbove0 === 0 && after.clippedSamples === 0) return null;
  const overshoot = Math.max(0, after.truePeakDbtp - before.truePeakDbtp);
  // Down to the next 0.1 dB (a hair of measurement noise does not cost a whole step).
  const ceiling = Math.floor((-overshoot - CEILING_MARGIN_DB) * 10 + 0.01) / 10;
  return Math.min(platformCeilingDbtp, ceiling);
}

export function buildCodecCheck(i: CodecCheckInput): CodecCheckRecord {
  const codec = i.platform.codec;
  const before = codecFigures(i.before, i.beforeClipped);
  const after = codecFigures(i.after, i.afterClipped);
  const ranges = overRanges(
    i.after.channels.map((c) => c.oversAbove0.positions.value),
    i.delaySeconds,
  ).slice(0, MAX_RANGES);
  const suggested = suggestCeiling(before, after, i.platform.truePeakDbtp);
  const loudness =
    before.integratedLufs === null || after.integratedLufs === null
      ? null
      : after.integratedLufs - before.integratedLufs;
  const peak =
    before.truePeakDbtp === null || after.truePeakDbtp === null ? null : after.truePeakDbtp - before.truePeakDbtp;
  const what = `After ${i.platform.name}'s ${CODEC_LABEL[codec.codec]} ${codec.bitrateKbps} kbit/s`;
  const parts: string[] = [];
  if (after.truePeakDbtp === null) parts.push('no signal came back from the codec');
  else {
    const was = before.truePeakDbtp === null ? '' : ` (was ${dbtp(before.truePeakDbtp)})`;
    const clipped =
      after.clippedSamples > 0
        ? `, ${after.clippedSamples} clipped sample${after.clippedSamples === 1 ? '' : 's'}`
        : '';
    parts.push(
      after.oversAbove0 > 0
        ? `${dbtp(after.truePeakDbtp)}${was}, ${after.oversAbove0} over${after.oversAbove0 === 1 ? '' : 's'} at ${listRanges(ranges)}${clipped}`
        : `${dbtp(after.truePeakDbtp)}${was}, no overs${clipped}`,
    );
  }
  if (loudness !== null) parts.push(`loudness ${loudness >= 0 ? '+' : ''}${loudness.toFixed(1)} LU`);
  let advice = '';
  if (suggested !== null)
    advice = `; lower the ceiling to ${suggested.toFixed(1)} dBTP${suggested === i.platform.truePeakDbtp ? ` (${i.platform.name}'s advice)` : ''}`;
  else if (after.truePeakDbtp !== null) advice = `; within ${i.platform.name}'s ${i.platform.truePeakDbtp} dBTP`;
  return {
    checkedAt: i.checkedAt,
    inputName: i.inputName,
    platformId: i.platform.id,
    platformName: i.platform.name,
    codec: codec.codec,
    bitrateKbps: codec.bitrateKbps,
    encoder: i.encoder,
    before,
    after,
    loudnessChangeLu: loudness,
    peakChangeDb: peak,
    overRanges: ranges,
    suggestedCeilingDbtp: suggested,
    sentence: `${what}: ${parts.join('; ')}${advice}.`,
    elapsedMs: i.elapsedMs,
  };
}
