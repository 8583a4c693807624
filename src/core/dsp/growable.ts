/** An append-only Float64 list that doubles its storage: bounded by the number of values kept, not by the audio. */
export class Float64List {
  private data = new Float64Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** Forgets every value (keeps the storage). */
  clear(): void {
    this.length = 0;
  }

  /** A copy trimmed to the values pushed so far. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}
