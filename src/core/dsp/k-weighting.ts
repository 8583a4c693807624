/**
 * K-weighting (ITU-R BS.1770-4/-5): a high-shelf "pre-filter" followed by the RLB high-pass,
 * derived for any sample rate from the analogue parameters, never from rounded tables.
 *
 * The derivation is the one used by libebur128 and by the BS.1770 table itself: bilinear
 * transform with pre-warping (K = tan(pi f0 / fs)). At 48 kHz it reproduces the BS.1770
 * table to better than 1e-12 (see tests/unit/dsp/k-weighting.test.ts).
 */
import type { Biquad } from './biquad.ts';

/** Analogue parameters of the two stages (BS.1770 as reverse-engineered by libebur128). */
export const K_WEIGHTING_PARAMETERS = {
  shelf: { f0: 1681.974450955533, gainDb: 3.999843853973347, q: 0.7071752369554196 },
  highPass: { f0: 38.13547087602444, q: 0.5003270373238773 },
  /** Exponent splitting the shelf gain between its band terms (libebur128's derivation). */
  shelfBandExponent: 0.4996667741545416,
} as const;

/** The two K-weighting stages for `sampleRate`: [pre-filter shelf, RLB high-pass]. */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  const { shelf, highPass, shelfBandExponent } = K_WEIGHTING_PARAMETERS;
  let k = Math.tan((Math.PI * shelf.f0) / sampleRate);
  const vh = Math.pow(10, shelf.gainDb / 20);
  const vb = Math.pow(vh, shelfBandExponent);
  let a0 = 1 + k / shelf.q + k * k;
  const pre: Biquad = {
    b0: (vh + (vb * k) / shelf.q + k * k) / a0,
    b1: (2 * (k * k - vh)) / a0,
    b2: (vh - (vb * k) / shelf.q + k * k) / a0,
    a1: (2 * (k * k - 1)) / a0,
    a2: (1 - k / shelf.q + k * k) / a0,
  };
  k = Math.tan((Math.PI * highPass.f0) / sampleRate);
  a0 = 1 + k / highPass.q + k * k;
  // The numerator is left un-normalised (1, -2, 1) exactly as in the BS.1770 table; the
  // -0.691 dB constant in the loudness formula absorbs the resulting gain.
  const rlb: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k * k - 1)) / a0, a2: (1 - k / highPass.q + k * k) / a0 };
  return [pre, rlb];
}
