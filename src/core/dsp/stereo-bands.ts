/**
 * Stereo width and correlation per tonal-balance band, from the spectrum's front-pair sums
 * (spectrum.ts): per band, with L and R the pair's bin values summed over the band's bins and
 * frames, correlation = ΣRe(L conj R) / sqrt(Σ|L|^2 Σ|R|^2) (+1 mono, 0 unrelated, -1 out of
 * phase; null when a side is silent) and width = 10 log10(S / M) with S = Σ|L - R|^2 and
 * M = Σ|L + R|^2 (side energy relative to mid energy, the whole-signal `stereo.width` per band;
 * null when the band is silent, exactly mono or exactly opposite). Energies, not a mean of per-frame ratios, so
 * loud passages weigh as they sound.
 */
import { fig, type AnalysisResult, type Figure, type StereoBands } from './result-schema.ts';
import { TONAL_BANDS, type SpectrumAverager } from './spectrum.ts';
import { correlation } from './stereo.ts';
import { finiteOrNull, powerToDb } from './units.ts';

/**
 * Side (or mid) energy below 1e-14 (-140 dB) of the band's energy is the transform's rounding
 * (an exactly mono band reads anywhere from -170 dB to a hair below zero), not signal: the
 * float32 samples the kernels read resolve differences of 2^-24 (-144 dB) at best. Zero then.
 */
const ROUNDING = 1e-14;
const exact = (part: number, total: number): number => (part > ROUNDING * total ? part : 0);

/** The per-band figures, or undefined when the spectrum kept no pair sums (no front pair leads it). */
export function buildStereoBands(avg: SpectrumAverager): StereoBands | undefined {
  if (!avg.pair) return undefined;
  const bands = {} as StereoBands;
  for (const b of TONAL_BANDS) {
    const sums = avg.pairBand(b.lowHz, Math.min(b.highHz, avg.sampleRate / 2));
    const { ll, rr, lr } = sums ?? { ll: 0, rr: 0, lr: 0 };
    const corr = correlation(lr, ll, rr);
    const side = exact(ll + rr - 2 * lr, ll + rr),
      mid = exact(ll + rr + 2 * lr, ll + rr);
    bands[b.name] = {
      correlation: fig(
        corr === null ? null : Math.max(-1, Math.min(1, corr)),
        'ratio',
        `correlation of left and right between ${b.lowHz} and ${b.highHz} Hz (+1 mono, 0 unrelated, -1 out of phase)`,
      ),
      width: fig(
        mid > 0 ? finiteOrNull(powerToDb(side / mid)) : null,
        'dB',
        `side energy relative to mid energy between ${b.lowHz} and ${b.highHz} Hz (null: exactly mono, exactly opposite or silent)`,
      ),
    };
  }
  return bands;
}

/** Width (dB) beyond which a stored figure is not believed: rounding leaves ~160 dB at most. */
const WIDTH_BOUND_DB = 400;

function inBounds(f: Figure | undefined, low: number, high: number): boolean {
  return (
    typeof f === 'object' &&
    f !== null &&
    (f.value === null || (typeof f.value === 'number' && f.value >= low && f.value <= high))
  );
}

/**
 * The per-band stereo figures of a result read from a report or a reference (maybe made before
 * they existed, or by a peer): undefined unless every band is present with values in bounds.
 */
export function readStereoBands(result: AnalysisResult): StereoBands | undefined {
  const bands = (result.stereo as { bands?: unknown } | null)?.bands as Partial<StereoBands> | undefined;
  if (typeof bands !== 'object' || bands === null) return undefined;
  const ok = TONAL_BANDS.every(({ name }) => {
    const b = bands[name];
    return (
      typeof b === 'object' &&
      b !== null &&
      inBounds(b.correlation, -1, 1) &&
      inBounds(b.width, -WIDTH_BOUND_DB, WIDTH_BOUND_DB)
    );
  });
  return ok ? (bands as StereoBands) : undefined;
}
