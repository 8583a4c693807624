/**
 * Second-order IIR sections (direct form I coefficients, a0 normalised to 1) and the few
 * analogue prototypes the meters need, mapped to the digital domain with the bilinear
 * transform and frequency pre-warping so that corner frequencies land exactly at every
 * sample rate.
 */
export interface Biquad { b0: number; b1: number; b2: number; a1: number; a2: number }

/** Second-order Butterworth low-pass at `cutoff` Hz (Q = 1/sqrt 2), pre-warped. */
export function butterworthLowPass(cutoff: number, sampleRate: number): Biquad {
  const k = Math.tan((Math.PI * cutoff) / sampleRate);
  const q = Math.SQRT1_2;
  const norm = 1 / (1 + k / q + k * k);
  return {
    b0: k * k * norm, b1: 2 * k * k * norm, b2: k * k * norm,
    a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm,
  };
}

/**
 * Runs `x` through a cascade of biquads into `y` (same length), keeping the filter memory in
 * `state` (4 numbers per section: x1, x2, y1, y2) so consecutive chunks join seamlessly.
 * Arithmetic is double precision whatever the storage type.
 */
export function runCascade(sections: readonly Biquad[], state: Float64Array, x: Float32Array, y: Float64Array, length: number): void {
  let input: Float32Array | Float64Array = x;
  for (let s = 0; s < sections.length; s++) {
    const { b0, b1, b2, a1, a2 } = sections[s]!;
    const o = s * 4;
    let x1 = state[o]!, x2 = state[o + 1]!, y1 = state[o + 2]!, y2 = state[o + 3]!;
    for (let n = 0; n < length; n++) {
      const xn = input[n]!;
      const yn = b0 * xn + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1; x1 = xn; y2 = y1; y1 = yn;
      y[n] = yn;
    }
    // Flush denormals so long silences do not slow the loop down.
    if (Math.abs(y1) < 1e-30) y1 = 0;
    if (Math.abs(y2) < 1e-30) y2 = 0;
    state[o] = x1; state[o + 1] = x2; state[o + 2] = y1; state[o + 3] = y2;
    input = y;
  }
}
