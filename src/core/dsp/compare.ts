/**
 * A mix beside one or more references: every summary figure with the reference's value and its
 * difference (reference − mix), and the gain that level-matches each reference to the mix's
 * integrated loudness (what an A/B switch applies so louder never sounds better).
 * Pure: takes analysis results, returns rows; the CLI and the page format them.
 */
import type { AnalysisResult, Figure } from './result-schema.ts';
import { readStereoBands } from './stereo-bands.ts';
import { TONAL_BAND_LABELS } from './spectrum.ts';

export interface CompareRow {
  id: string;
  label: string;
  unit: string;
  mix: number | null;
  /** One per reference, in order: its value and reference − mix (null when either is undefined). */
  refs: { value: number | null; diff: number | null }[];
}

export interface Comparison {
  rows: CompareRow[];
  /** Per reference: gain in dB that brings it to the mix's integrated loudness (null when undefined). */
  matchGainDb: (number | null)[];
}

/** References compared at once (the CLI's columns, a report's references): each is measured in full. */
export const MAX_REFERENCES = 8;

type Pick = [id: string, label: string, get: (r: AnalysisResult) => Figure<number | null> | null];

const BANDS = ['sub', 'low', 'lowMid', 'mid', 'highMid', 'presence', 'air'] as const;

const PICKS: Pick[] = [
  ['loudness.integrated', 'Integrated loudness', (r) => r.loudness.integrated],
  ['loudness.range', 'Loudness range', (r) => r.loudness.range],
  ['loudness.shortTermMax', 'Short-term max', (r) => r.loudness.shortTermMax],
  ['loudness.momentaryMax', 'Momentary max', (r) => r.loudness.momentaryMax],
  ['peaks.truePeak', 'True peak', (r) => r.peaks.truePeak],
  ['peaks.samplePeak', 'Sample peak', (r) => r.peaks.samplePeak],
  ['dynamics.rms', 'RMS', (r) => r.dynamics.rms],
  ['dynamics.crestFactor', 'Crest factor', (r) => r.dynamics.crestFactor],
  ['dynamics.plr', 'PLR', (r) => r.dynamics.plr],
  ['dynamics.psr', 'PSR', (r) => r.dynamics.psr],
  ['stereo.correlation', 'Correlation', (r) => r.stereo?.correlation ?? null],
  ['stereo.lowBandCorrelation', 'Correlation < 150 Hz', (r) => r.stereo?.lowBandCorrelation ?? null],
  ['stereo.width', 'Width (S/M)', (r) => r.stereo?.width ?? null],
  ['noiseFloor', 'Noise floor', (r) => r.noiseFloor],
  ...BANDS.map((b): Pick => [
    `spectrum.tonalBalance.${b}`,
    `Tonal balance: ${TONAL_BAND_LABELS[b]}`,
    (r) => r.spectrum.tonalBalance[b],
  ]),
  // Per-band stereo: n/a for a result made before it existed (readStereoBands).
  ...BANDS.map((b): Pick => [
    `stereo.bands.${b}.correlation`,
    `Correlation: ${TONAL_BAND_LABELS[b]}`,
    (r) => readStereoBands(r)?.[b].correlation ?? null,
  ]),
  ...BANDS.map((b): Pick => [
    `stereo.bands.${b}.width`,
    `Width (S/M): ${TONAL_BAND_LABELS[b]}`,
    (r) => readStereoBands(r)?.[b].width ?? null,
  ]),
];

export function compareResults(mix: AnalysisResult, refs: readonly AnalysisResult[]): Comparison {
  const rows = PICKS.map(([id, label, get]): CompareRow => {
    const own = get(mix);
    const mixValue = own?.value ?? null;
    return {
      id,
      label,
      unit: own?.unit ?? refs.map(get).find((f) => f)?.unit ?? '',
      mix: mixValue,
      refs: refs.map((r) => {
        const value = get(r)?.value ?? null;
        return { value, diff: value === null || mixValue === null ? null : value - mixValue };
      }),
    };
  });
  const i = mix.loudness.integrated.value;
  return {
    rows,
    matchGainDb: refs.map((r) => {
      const ri = r.loudness.integrated.value;
      return i === null || ri === null ? null : i - ri;
    }),
  };
}

/**
 * The gains (dB) an A/B player applies so every track plays at the same integrated loudness
 * without boosting any: the loudest-after-matching level is the quietest track's own, so a
 * reference quieter than the mix turns the mix (and the others) down rather than pushing the
 * reference past full scale. `mix` is the mix's gain, `refs[i]` reference i's (null where its
 * loudness is undefined: it plays at the mix's gain, unmatched).
 */
export function playbackGains(matchGainDb: readonly (number | null)[]): { mix: number; refs: (number | null)[] } {
  const boost = Math.max(0, ...matchGainDb.filter((g): g is number => g !== null));
  const mix = boost === 0 ? 0 : -boost;
  return { mix, refs: matchGainDb.map((g) => (g === null ? null : g + mix)) };
}
