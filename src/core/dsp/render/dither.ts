/**
 * TPDF dither for 24-bit output: the sum of two independent uniform values of ±0.5 LSB, so the
 * quantisation error is independent of the signal (no distortion products on fades and quiet
 * tails). The generator is a seeded xorshift32, so a render is reproducible bit for bit; a
 * ditherer per stream, not shared between threads.
 */
export class TpdfDither {
  private state: number;

  constructor(seed = 0x9e3779b9) {
    this.state = seed >>> 0 || 1;
  }

  /** One uniform value in [0, 1). */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 4294967296;
  }

  /** Triangular noise in (-1, 1) LSB. */
  noise(): number {
    return this.next() - this.next();
  }
}

export const PCM24_MAX = 8388607;
export const PCM24_MIN = -8388608;

/** A float sample to a dithered, clamped 24-bit code. */
export function quantise24(sample: number, dither: TpdfDither): number {
  const q = Math.round(sample * 8388608 + dither.noise());
  return q > PCM24_MAX ? PCM24_MAX : q < PCM24_MIN ? PCM24_MIN : q;
}
