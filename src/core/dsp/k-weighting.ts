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

/**
 * The hot loop of the loudness meter: K-weights one channel chunk `x` into `y` with both
 * stages fused in one pass (state: 8 numbers, x1 x2 y1 y2 per stage), adds `weight * y^2` to
 * `energy` and `x^2` to `squares`. Double precision throughout.
 */
export function kWeightInto(
  f: readonly [Biquad, Biquad],
  state: Float64Array,
  x: Float32Array,
  y: Float64Array,
  weight: number,
  energy: Float64Array,
  squares: Float64Array,
  length: number,
): void {
  const p = f[0],
    r = f[1];
  const pb0 = p.b0,
    pb1 = p.b1,
    pb2 = p.b2,
    pa1 = p.a1,
    pa2 = p.a2;
  const rb0 = r.b0,
    rb1 = r.b1,
    rb2 = r.b2,
    ra1 = r.a1,
    ra2 = r.a2;
  let px1 = state[0]!,
    px2 = state[1]!,
    py1 = state[2]!,
    py2 = state[3]!;
  let ry1 = state[6]!,
    ry2 = state[7]!;
  for (let n = 0; n < length; n++) {
    const xn = x[n]!;
    const u = pb0 * xn + pb1 * px1 + pb2 * px2 - pa1 * py1 - pa2 * py2;
    px2 = px1;
    px1 = xn;
    const v = rb0 * u + rb1 * py1 + rb2 * py2 - ra1 * ry1 - ra2 * ry2;
    py2 = py1;
    py1 = u;
    ry2 = ry1;
    ry1 = v;
    y[n] = v;
    energy[n]! += weight * v * v;
    squares[n]! += xn * xn;
  }
  // Flush denormals so long silences do not slow the loop down.
  if (Math.abs(py1) < 1e-30 && Math.abs(py2) < 1e-30) {
    py1 = 0;
    py2 = 0;
  }
  if (Math.abs(ry1) < 1e-30 && Math.abs(ry2) < 1e-30) {
    ry1 = 0;
    ry2 = 0;
  }
  state[0] = px1;
  state[1] = px2;
  state[2] = py1;
  state[3] = py2;
  state[4] = py1;
  state[5] = py2;
  state[6] = ry1;
  state[7] = ry2;
}
