/**
 * Second-order IIR sections (direct form I coefficients, a0 normalised to 1) and the
 * analogue prototypes the meters need besides K-weighting, mapped to the digital domain with the bilinear
 * transform and frequency pre-warping so that corner frequencies land exactly at every
 * sample rate.
 */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Second-order Butterworth low-pass at `cutoff` Hz (Q = 1/sqrt 2), pre-warped. */
export function butterworthLowPass(cutoff: number, sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * cutoff) / sampleRate);
  const q = Math.SQRT1_2;
  const norm = 1 / (1 + k / q + k * k);
  return {
    b0: k * k * norm,
    b1: 2 * k * k * norm,
    b2: k * k * norm,
    a1: 2 * (k * k - 1) * norm,
    a2: (1 - k / q + k * k) * norm,
  };
}
