/**
 * Allocation-free sliding sums for the live meter: values are summed into sub-blocks of
 * 10 ms, kept in a fixed ring, and a window of the last k sub-blocks is read on demand.
 * Used for momentary (400 ms) and short-term (3 s) loudness and for correlation (400 ms).
 */
export class MeterWindows {
  private readonly ring: Float64Array;
  private count = 0;
  private acc = 0;
  private fill = 0;

  constructor(
    readonly subLength: number,
    subBlocks: number,
  ) {
    this.ring = new Float64Array(subBlocks);
  }

  /** Adds `length` per-sample values. */
  push(values: Float64Array, length: number): void {
    let acc = this.acc,
      fill = this.fill;
    const sub = this.subLength;
    for (let n = 0; n < length; n++) {
      acc += values[n]!;
      if (++fill === sub) {
        this.ring[this.count++ % this.ring.length] = acc;
        acc = 0;
        fill = 0;
      }
    }
    this.acc = acc;
    this.fill = fill;
  }

  /** Mean per-sample value over the last `subBlocks` complete sub-blocks (NaN until they exist). */
  mean(subBlocks: number): number {
    if (this.count < subBlocks) return NaN;
    const ring = this.ring,
      size = ring.length;
    let sum = 0;
    for (let i = 1; i <= subBlocks; i++) sum += ring[(this.count - i) % size]!;
    return sum / (subBlocks * this.subLength);
  }
}
