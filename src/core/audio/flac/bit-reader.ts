/**
 * MSB-first bit reader over a byte buffer, as FLAC needs. Reading past the end throws
 * OUT_OF_DATA so the caller can fetch more bytes and retry the frame from its start.
 */
export const OUT_OF_DATA = new Error('out of data');

export class BitReader {
  /** Next byte to load. */
  pos: number;
  private cur = 0;
  private left = 0;

  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  /** Reads `n` (0..53) bits as an unsigned number. */
  bits(n: number): number {
    let v = 0;
    while (n > 0) {
      if (this.left === 0) {
        if (this.pos >= this.end) throw OUT_OF_DATA;
        this.cur = this.buf[this.pos++]!;
        this.left = 8;
      }
      const take = n < this.left ? n : this.left;
      const shift = this.left - take;
      v = v * (1 << take) + ((this.cur >>> shift) & ((1 << take) - 1));
      this.left -= take;
      n -= take;
    }
    return v;
  }

  /** Reads `n` bits as a two's-complement signed number. */
  signed(n: number): number {
    if (n === 0) return 0;
    const v = this.bits(n);
    return v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }

  /** Counts zero bits up to and including the next one bit; returns the number of zeros. */
  unary(): number {
    let count = 0;
    for (;;) {
      if (this.left === 0) {
        if (this.pos >= this.end) throw OUT_OF_DATA;
        this.cur = this.buf[this.pos++]!;
        this.left = 8;
      }
      const rest = this.cur & ((1 << this.left) - 1);
      if (rest === 0) {
        count += this.left;
        this.left = 0;
        continue;
      }
      const zeros = Math.clz32(rest) - (32 - this.left);
      this.left -= zeros + 1;
      return count + zeros;
    }
  }

  /** Skips to the next byte boundary. */
  align(): void {
    this.left = 0;
  }

  /** Byte offset of the next unread whole byte (after align()). */
  get bytePos(): number {
    return this.pos;
  }

  /** Reads a Rice-coded residual block: `count` values with parameter `k` into out[from..]. */
  rice(out: Float64Array, from: number, count: number, k: number): void {
    const scale = 2 ** k;
    for (let i = 0; i < count; i++) {
      const q = this.unary();
      const u = q * scale + (k ? this.bits(k) : 0);
      out[from + i] = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
  }
}
