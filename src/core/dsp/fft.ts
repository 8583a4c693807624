/**
 * In-place iterative radix-2 complex FFT. Twiddles are precomputed per stage in the order the
 * butterflies use them, and the first two stages are fused into one radix-4 pass, so the hot
 * loops only read sequential memory.
 */
export class Fft {
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  private readonly rev: Uint32Array;

  constructor(readonly size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two >= 4, got ${size}`);
    // Stage with half-length h stores its h twiddles at offset h: exp(-2 pi i k / (2h)).
    this.twRe = new Float64Array(size);
    this.twIm = new Float64Array(size);
    for (let h = 1; h < size; h <<= 1) {
      for (let k = 0; k < h; k++) {
        this.twRe[h + k] = Math.cos((Math.PI * k) / h);
        this.twIm[h + k] = -Math.sin((Math.PI * k) / h);
      }
    }
    this.rev = new Uint32Array(size);
    const bits = Math.log2(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
  }

  /** Forward transform of (re, im) in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size,
      rev = this.rev,
      twRe = this.twRe,
      twIm = this.twIm;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    // Stages 1 and 2 fused: a radix-4 butterfly on each group of four (twiddles 1 and -i).
    for (let s = 0; s < n; s += 4) {
      const ar = re[s]! + re[s + 1]!,
        ai = im[s]! + im[s + 1]!;
      const br = re[s]! - re[s + 1]!,
        bi = im[s]! - im[s + 1]!;
      const cr = re[s + 2]! + re[s + 3]!,
        ci = im[s + 2]! + im[s + 3]!;
      const dr = re[s + 2]! - re[s + 3]!,
        di = im[s + 2]! - im[s + 3]!;
      re[s] = ar + cr;
      im[s] = ai + ci;
      re[s + 2] = ar - cr;
      im[s + 2] = ai - ci;
      // (dr + i di) * (-i) = di - i dr
      re[s + 1] = br + di;
      im[s + 1] = bi - dr;
      re[s + 3] = br - di;
      im[s + 3] = bi + dr;
    }
    for (let half = 4; half < n; half <<= 1) {
      const len = half << 1;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = twRe[half + k]!,
            wi = twIm[half + k]!;
          const a = start + k,
            b = a + half;
          const rb = re[b]!,
            ib = im[b]!;
          const xr = rb * wr - ib * wi;
          const xi = rb * wi + ib * wr;
          const ra = re[a]!,
            ia = im[a]!;
          re[b] = ra - xr;
          im[b] = ia - xi;
          re[a] = ra + xr;
          im[a] = ia + xi;
        }
      }
    }
  }
}
