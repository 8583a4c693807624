import { isBlankRange, trimmedSlice as trimmed } from './lines.ts';

/**
 * The TAB-separated cells of one table row, as offsets into the text that holds the row. One
 * instance is reused for every row of a table, so reading a row allocates nothing but the
 * strings a reader keeps (`split('\t')` made an array and a string per cell, per row).
 * `count`, `get` and `join` answer exactly what `row.split('\t')` with each cell's space
 * padding trimmed would.
 */
export class RowCells {
  private text = '';
  private rowStart = 0;
  private rowEnd = 0;
  /** Offsets of the TABs of the row; cell k runs from after TAB k-1 to TAB k. */
  private tabs = new Int32Array(16);
  count = 0;

  /** Reads the row `text[start, end)`; it must hold no line break. */
  read(text: string, start: number, end: number): this {
    this.text = text;
    this.rowStart = start;
    this.rowEnd = end;
    let n = 0;
    for (let t = text.indexOf('\t', start); t >= 0 && t < end; t = text.indexOf('\t', t + 1)) {
      if (n === this.tabs.length) {
        const more = new Int32Array(n * 2);
        more.set(this.tabs);
        this.tabs = more;
      }
      this.tabs[n++] = t;
    }
    this.count = n + 1;
    return this;
  }

  /** Length of the row in characters. */
  get length(): number {
    return this.rowEnd - this.rowStart;
  }

  /** True when the row holds nothing but spaces. */
  get blank(): boolean {
    return isBlankRange(this.text, this.rowStart, this.rowEnd);
  }

  /** Offset where cell `k` starts (0 <= k < count). */
  cellStart(k: number): number {
    return k === 0 ? this.rowStart : (this.tabs[k - 1] ?? 0) + 1;
  }

  /** Offset where cell `k` ends (0 <= k < count). */
  cellEnd(k: number): number {
    return k === this.count - 1 ? this.rowEnd : (this.tabs[k] ?? 0);
  }

  /** The cells `from` to `to` (exclusive) as written, TABs between, trimmed at both ends only. */
  span(from: number, to: number): string {
    if (from >= to || from >= this.count) return '';
    return trimmed(this.text, this.cellStart(from), this.cellEnd(Math.min(to, this.count) - 1));
  }

  /**
   * Cell `k` without its space padding, or '' past the last cell. When the cell is one of
   * `common` (values most rows repeat), that string is returned instead of a new copy.
   */
  get(k: number, common?: readonly string[]): string {
    if (k < 0 || k >= this.count) return '';
    let start = this.cellStart(k);
    let end = this.cellEnd(k);
    const text = this.text;
    while (start < end && text.charCodeAt(start) === 32) start++;
    while (end > start && text.charCodeAt(end - 1) === 32) end--;
    if (common) for (const c of common) if (c.length === end - start && text.startsWith(c, start)) return c;
    return text.slice(start, end);
  }

  /** Cells `from` to `to` (exclusive), each trimmed, joined with TABs. */
  join(from: number, to: number): string {
    const end = Math.min(to, this.count);
    if (end - from === 1) return this.get(from);
    const parts: string[] = [];
    for (let k = from; k < end; k++) parts.push(this.get(k));
    return parts.join('\t');
  }

  /**
   * The value of cell `k` when it is ASCII digits (space padding allowed) and at most 15 of
   * them (past that a number loses precision), or -1; read from the character codes.
   */
  digits(k: number): number {
    if (k < 0 || k >= this.count) return -1;
    let start = this.cellStart(k);
    let end = this.cellEnd(k);
    const text = this.text;
    while (start < end && text.charCodeAt(start) === 32) start++;
    while (end > start && text.charCodeAt(end - 1) === 32) end--;
    if (start === end || end - start > 15) return -1;
    let n = 0;
    for (let i = start; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      n = n * 10 + d;
    }
    return n;
  }
}
