/**
 * The analysis result: every figure carries its value, its unit and a one-line definition,
 * so a JSON export is self-describing. `null` means "undefined for this signal" (for example
 * integrated loudness when no block passes the gates), never a made-up floor value.
 */
import type { ChannelLabel } from './channels.ts';
import type { OverviewData } from './overview.ts';

export type Unit = 'LUFS' | 'LU' | 'dBTP' | 'dBFS' | 'dB' | 's' | 'Hz' | 'count' | 'ratio' | 'samples' | 'linear';

export interface Figure<T = number | null> {
  value: T;
  unit: Unit;
  definition: string;
}

export const SCHEMA_ID = 'mixdesk.analysis/1';

/** Conventions that change how numbers read; stated in every result. */
export const CONVENTIONS = {
  loudness:
    'ITU-R BS.1770-4/-5 K-weighting; channel weights 1.0 (L, R, C), 1.41 (surrounds), LFE excluded; a mono file is measured as ONE channel, so a -23 dBFS 1 kHz mono tone reads -26.0 LUFS (no +3 dB dual-mono assumption).',
  gating:
    'Integrated: 400 ms blocks, 75 % overlap, absolute gate -70 LUFS, relative gate -10 LU, incomplete final block dropped. LRA: EBU Tech 3342, short-term values every 100 ms, gates -70 LUFS and -20 LU, 10th-95th percentile.',
  truePeak:
    '4x oversampling at every sample rate (Kaiser-windowed sinc polyphase FIR, 16 taps per phase); reported as the larger of the oversampled peak and the sample peak.',
  maxima: 'Momentary and short-term maxima are evaluated at every sub-block of at most 10 ms.',
  dbfs: 'dBFS of sample values: 0 dBFS is a sample of magnitude 1.0; RMS and band levels are stated relative to a full-scale sine (AES17), so a full-scale sine has RMS 0 dBFS.',
} as const;

export interface OversFigure {
  count: Figure<number>;
  positions: Figure<number[]>;
}

export interface ChannelResult {
  index: number;
  label: ChannelLabel;
  loudnessWeight: Figure<number>;
  samplePeak: Figure;
  samplePeakAt: Figure;
  truePeak: Figure;
  truePeakAt: Figure;
  rms: Figure;
  crestFactor: Figure;
  dcOffset: Figure;
  clipRuns: Figure<number>;
  clipPositions: Figure<{ startSeconds: number; samples: number }[]>;
  oversAboveMinus1: OversFigure;
  oversAbove0: OversFigure;
}

/** The seven tonal-balance bands (spectrum.ts TONAL_BANDS). */
export type TonalBandName = 'sub' | 'low' | 'lowMid' | 'mid' | 'highMid' | 'presence' | 'air';

/** Stereo per tonal band (stereo-bands.ts): correlation and side/mid width of the front pair. */
export type StereoBands = Record<TonalBandName, { correlation: Figure; width: Figure }>;

export interface AnalysisResult {
  schema: typeof SCHEMA_ID;
  conventions: typeof CONVENTIONS;
  file: {
    sampleRate: Figure<number>;
    channels: Figure<number>;
    channelLayout: ChannelLabel[];
    frames: Figure<number>;
    duration: Figure<number>;
  };
  loudness: {
    integrated: Figure;
    relativeGate: Figure;
    momentaryMax: Figure;
    momentaryMaxAt: Figure;
    shortTermMax: Figure;
    shortTermMaxAt: Figure;
    range: Figure;
    rangeLow: Figure;
    rangeHigh: Figure;
    rangeNote: string;
    series: { interval: Figure<number>; momentary: Figure<(number | null)[]>; shortTerm: Figure<(number | null)[]> };
  };
  peaks: {
    truePeak: Figure;
    truePeakAt: Figure;
    samplePeak: Figure;
    samplePeakAt: Figure;
    oversAboveMinus1: OversFigure;
    oversAbove0: OversFigure;
  };
  dynamics: { rms: Figure; crestFactor: Figure; plr: Figure; psr: Figure };
  clipping: { runs: Figure<number>; samples: Figure<number> };
  silence: { head: Figure<number>; tail: Figure<number>; threshold: Figure<number> };
  noiseFloor: Figure;
  channels: ChannelResult[];
  spectrum: {
    fftSize: Figure<number>;
    binWidth: Figure<number>;
    average: Figure<(number | null)[]>;
    thirdOctaveCentres: Figure<number[]>;
    thirdOctave: Figure<(number | null)[]>;
    tonalBalance: Record<TonalBandName, Figure>;
  };
  /** Null for mono files and files without a front left/right pair. */
  stereo: null | {
    correlation: Figure;
    correlationSeries: Figure<(number | null)[]>;
    lowBandCorrelation: Figure;
    width: Figure;
    balance: Figure;
    monoCompatibility: Figure;
    /**
     * Correlation and width per tonal band; absent from results made before it existed and when
     * the front pair are not the first two channels. Read it through readStereoBands.
     */
    bands?: StereoBands;
  };
  /**
   * The waveform's peak envelope and the goniometer's density (overview.ts); absent from
   * results made before it existed, so readers must cope without it.
   */
  overview?: OverviewData;
  warnings: string[];
}

/** Builds a figure. */
export function fig<T>(value: T, unit: Unit, definition: string): Figure<T> {
  return { value, unit, definition };
}
