/**
 * TPDF dither for 24-bit output: triangular noise of ±1 LSB (the difference of two independent
 * uniform values), so the quantisation error is independent of the signal (no distortion
 * products on fades and quiet tails). The generator is a seeded xorshift32, so a render is
 * reproducible bit for bit; its state lives here and the encoder (wav-writer.ts) steps it
 * inline, in its hot loop. One ditherer per stream, not shared between threads.
 */
export class TpdfDither {
  /** The xorshift32 state, never 0. */
  state: number;

  constructor(seed = 0x9e3779b9) {
    this.state = seed >>> 0 || 1;
  }
}

export const PCM24_MAX = 8388607;
export const PCM24_MIN = -8388608;
