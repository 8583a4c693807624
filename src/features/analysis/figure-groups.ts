/**
 * Which figures of an AnalysisResult the page shows, in which group, under which label, and how
 * a value is written (one decimal for levels, so -23.0 LUFS reads as a meter would show it).
 * Array-valued figures (series, spectrum, positions) are drawn as plots or lists instead.
 */
import type { AnalysisResult, Figure } from '../../core/dsp/result-schema.ts';
import { fixedDigits } from '../../core/text/fixed-digits.ts';

export interface FigureRow {
  id: string;
  label: string;
  figure: Figure<number | null>;
}
export interface FigureGroup {
  id: string;
  title: string;
  rows: FigureRow[];
  note?: string;
}

const LEVEL_UNITS = new Set(['LUFS', 'LU', 'dBTP', 'dBFS', 'dB']);

/** A figure's value as text (without unit); "n/a" when undefined for this signal. */
export function formatValue(figure: Figure<number | null>): string {
  const v = figure.value;
  if (v === null || !Number.isFinite(v)) return 'n/a';
  if (LEVEL_UNITS.has(figure.unit)) return fixedDigits(v);
  switch (figure.unit) {
    case 's':
      return v.toFixed(3);
    case 'Hz':
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
    case 'count':
    case 'samples':
      return Math.round(v).toLocaleString('en');
    case 'ratio':
      return v.toFixed(3);
    default:
      return Math.abs(v) < 0.001 && v !== 0 ? v.toExponential(2) : v.toFixed(4);
  }
}

/** The unit as printed after a value: a symbol, or nothing for counts, ratios and plain numbers ("2", not "2 count"). */
export function unitSymbol(unit: Figure<unknown>['unit']): string {
  return unit === 'count' || unit === 'ratio' || unit === 'linear' ? '' : unit;
}

const TONAL_LABELS: Record<keyof AnalysisResult['spectrum']['tonalBalance'], string> = {
  sub: 'Sub (20-60 Hz)',
  low: 'Low (60-200 Hz)',
  lowMid: 'Low-mid (200-500 Hz)',
  mid: 'Mid (500 Hz-2 kHz)',
  highMid: 'High-mid (2-6 kHz)',
  presence: 'Presence (6-12 kHz)',
  air: 'Air (12-20 kHz)',
};

export function figureGroups(r: AnalysisResult): FigureGroup[] {
  const row = (id: string, label: string, figure: Figure<number | null>): FigureRow => ({ id, label, figure });
  const groups: FigureGroup[] = [
    {
      id: 'loudness',
      title: 'Loudness',
      note: r.loudness.rangeNote,
      rows: [
        row('loudness.integrated', 'Integrated loudness', r.loudness.integrated),
        row('loudness.momentaryMax', 'Momentary max', r.loudness.momentaryMax),
        row('loudness.momentaryMaxAt', 'Momentary max at', r.loudness.momentaryMaxAt),
        row('loudness.shortTermMax', 'Short-term max', r.loudness.shortTermMax),
        row('loudness.shortTermMaxAt', 'Short-term max at', r.loudness.shortTermMaxAt),
        row('loudness.range', 'Loudness range (LRA)', r.loudness.range),
        row('loudness.rangeLow', 'LRA low', r.loudness.rangeLow),
        row('loudness.rangeHigh', 'LRA high', r.loudness.rangeHigh),
        row('loudness.relativeGate', 'Relative gate', r.loudness.relativeGate),
      ],
    },
    {
      id: 'peaks',
      title: 'True peak',
      rows: [
        row('peaks.truePeak', 'True peak', r.peaks.truePeak),
        row('peaks.truePeakAt', 'True peak at', r.peaks.truePeakAt),
        row('peaks.samplePeak', 'Sample peak', r.peaks.samplePeak),
        row('peaks.samplePeakAt', 'Sample peak at', r.peaks.samplePeakAt),
        row('peaks.oversAboveMinus1', 'Overs above -1 dBTP', r.peaks.oversAboveMinus1.count),
        row('peaks.oversAbove0', 'Overs above 0 dBTP', r.peaks.oversAbove0.count),
      ],
    },
    {
      id: 'dynamics',
      title: 'Dynamics',
      rows: [
        row('dynamics.rms', 'RMS', r.dynamics.rms),
        row('dynamics.crestFactor', 'Crest factor', r.dynamics.crestFactor),
        row('dynamics.plr', 'PLR', r.dynamics.plr),
        row('dynamics.psr', 'PSR', r.dynamics.psr),
        row('clipping.runs', 'Clipping runs', r.clipping.runs),
        row('clipping.samples', 'Clipped samples', r.clipping.samples),
        row('silence.head', 'Silence at head', r.silence.head),
        row('silence.tail', 'Silence at tail', r.silence.tail),
        row('silence.threshold', 'Silence threshold', r.silence.threshold),
        row('noiseFloor', 'Noise floor', r.noiseFloor),
      ],
    },
    {
      id: 'spectrum',
      title: 'Spectrum',
      rows: [
        ...Object.entries(r.spectrum.tonalBalance).map(([key, f]) =>
          row(`spectrum.tonalBalance.${key}`, TONAL_LABELS[key as keyof typeof TONAL_LABELS], f),
        ),
        row('spectrum.fftSize', 'FFT size', r.spectrum.fftSize),
        row('spectrum.binWidth', 'Bin width', r.spectrum.binWidth),
      ],
    },
  ];
  if (r.stereo) {
    groups.push({
      id: 'stereo',
      title: 'Stereo',
      rows: [
        row('stereo.correlation', 'Correlation', r.stereo.correlation),
        row('stereo.lowBandCorrelation', 'Correlation below 150 Hz', r.stereo.lowBandCorrelation),
        row('stereo.width', 'Width (side/mid)', r.stereo.width),
        row('stereo.balance', 'Balance (L/R)', r.stereo.balance),
        row('stereo.monoCompatibility', 'Mono compatibility', r.stereo.monoCompatibility),
      ],
    });
  } else {
    groups.push({
      id: 'stereo',
      title: 'Stereo',
      rows: [],
      note: 'Not measured: the file has no left/right pair (mono is measured as one channel).',
    });
  }
  groups.push({
    id: 'file',
    title: 'File',
    rows: [
      row('file.sampleRate', 'Sample rate', r.file.sampleRate),
      row('file.channels', 'Channels', r.file.channels),
      row('file.frames', 'Frames', r.file.frames),
      row('file.duration', 'Duration', r.file.duration),
    ],
  });
  return groups;
}

/** Per-channel columns of the channel table. */
export const CHANNEL_COLUMNS = [
  ['loudnessWeight', 'Weight'],
  ['samplePeak', 'Sample peak'],
  ['truePeak', 'True peak'],
  ['truePeakAt', 'TP at'],
  ['rms', 'RMS'],
  ['crestFactor', 'Crest'],
  ['dcOffset', 'DC offset'],
  ['clipRuns', 'Clip runs'],
] as const;
