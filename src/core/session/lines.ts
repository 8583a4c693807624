/** One physical line of the text file with its 1-based line number. */
export interface Line {
  text: string;
  line: number;
}

/** Which line break the file uses; embedded breaks in names are rebuilt as "\n" regardless. */
export type LineEnding = 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';

/**
 * The lines of a decoded text as offsets into it: line `i` (0-based, line number `i + 1`) is
 * `textAt(i).slice(start(i), end(i))`, without its break. The text may come in pieces (each
 * ending with a line break, see encoding.ts); `textAt(i)` is the piece that holds line `i`.
 * Readers scan the decoded text by offset and cut a string only for a value they keep: an
 * export runs to 250,000 lines, and a string plus an object per line was most of the parse
 * time (and its garbage collection).
 */
export class TextLines {
  constructor(
    private readonly pieces: readonly string[],
    private readonly pieceOf: Int32Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    readonly count: number,
  ) {}

  /** The string that holds line `i` (the whole text, or its piece). */
  textAt(i: number): string {
    return this.pieces[this.pieceOf[i] ?? 0] ?? '';
  }

  start(i: number): number {
    return this.starts[i] ?? 0;
  }

  end(i: number): number {
    return this.ends[i] ?? 0;
  }

  /** Character `k` of line `i` as a UTF-16 code, or NaN past the line's end. */
  charAt(i: number, k: number): number {
    const at = this.start(i) + k;
    return at < this.end(i) ? this.textAt(i).charCodeAt(at) : NaN;
  }

  textOf(i: number): string {
    return this.textAt(i).slice(this.start(i), this.end(i));
  }

  line(i: number): Line {
    return { text: this.textOf(i), line: i + 1 };
  }

  /** Lines `from` (inclusive) to `to` (exclusive) as strings, for the readers of small sections. */
  lines(from: number, to: number): Line[] {
    const out = new Array<Line>(Math.max(0, to - from));
    for (let i = from; i < to; i++) out[i - from] = this.line(i);
    return out;
  }

  /** True when line `i` holds nothing but spaces. */
  isBlank(i: number): boolean {
    return isBlankRange(this.textAt(i), this.start(i), this.end(i));
  }

  /** `to` moved back over trailing blank lines (sections are separated by two empty lines). */
  withoutTrailingBlanks(from: number, to: number): number {
    while (to > from && this.isBlank(to - 1)) to--;
    return to;
  }
}

/** A growable list of line offsets, so indexing needs no count pass first. */
class Offsets {
  pieceOf: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;
  constructor(capacity: number) {
    this.pieceOf = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }
  push(piece: number, start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grown = (a: Int32Array): Int32Array => {
        const b = new Int32Array(this.count * 2);
        b.set(a);
        return b;
      };
      this.pieceOf = grown(this.pieceOf);
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
    }
    this.pieceOf[this.count] = piece;
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

/**
 * Finds the lines of a text given as pieces that each end with a line break (but the last),
 * breaking on LF, CRLF and CR, with the native indexOf. A final line break does not start an
 * extra empty line; `endsWithBreak` tells whether it was there (a missing one hints at a
 * truncated file). Stops as soon as `maxBreaks` breaks are found and says so with
 * `overLimit` (the lines are then incomplete), so that a text of too many lines costs no more
 * than the limit.
 */
export function indexLines(
  pieces: readonly string[],
  maxBreaks = Number.MAX_SAFE_INTEGER,
): { lines: TextLines; lineEnding: LineEnding; endsWithBreak: boolean; overLimit: boolean } {
  let length = 0;
  for (const p of pieces) length += p.length;
  // About 60 characters a line in an export; the index doubles when that guess is short.
  const offsets = new Offsets(16 + (length >> 5));
  let loneLf = 0,
    loneCr = 0,
    crlf = 0;
  let overLimit = false;
  let endsWithBreak = false;
  for (let piece = 0; piece < pieces.length && !overLimit; piece++) {
    const text = pieces[piece] ?? '';
    let lf = text.indexOf('\n');
    let cr = text.indexOf('\r');
    let from = 0;
    while (lf >= 0 || cr >= 0) {
      if (cr < 0 || (lf >= 0 && lf < cr)) {
        offsets.push(piece, from, lf);
        from = lf + 1;
        loneLf++;
        lf = text.indexOf('\n', from);
      } else {
        offsets.push(piece, from, cr);
        if (lf === cr + 1) {
          from = cr + 2;
          crlf++;
          lf = text.indexOf('\n', from);
        } else {
          from = cr + 1;
          loneCr++;
        }
        cr = text.indexOf('\r', from);
      }
      if (offsets.count >= maxBreaks) {
        overLimit = true;
        break;
      }
    }
    if (from < text.length) offsets.push(piece, from, text.length);
    endsWithBreak = text.length > 0 ? from === text.length : endsWithBreak;
  }
  const kinds = (loneLf ? 1 : 0) + (crlf ? 1 : 0) + (loneCr ? 1 : 0);
  const lineEnding: LineEnding = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : crlf ? 'CRLF' : loneCr ? 'CR' : 'LF';
  return {
    lines: new TextLines(pieces, offsets.pieceOf, offsets.starts, offsets.ends, offsets.count),
    lineEnding,
    endsWithBreak,
    overLimit,
  };
}

/** True when `text` from `start` to `end` holds nothing but spaces. */
export function isBlankRange(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Trims the space padding Pro Tools adds to fixed-width columns (tabs are content). */
export function trimPadding(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 32) start++;
  while (end > start && value.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** `text` from `start` to `end` without the space padding at either side, cut once. */
export function trimmedSlice(text: string, start: number, end: number): string {
  while (start < end && text.charCodeAt(start) === 32) start++;
  while (end > start && text.charCodeAt(end - 1) === 32) end--;
  return text.slice(start, end);
}

/** Trims only the trailing space padding (names may start with spaces). */
export function trimPaddingEnd(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  return value.slice(0, end);
}

/** True when the line holds nothing but spaces. */
export function isBlank(text: string): boolean {
  return isBlankRange(text, 0, text.length);
}

/** Drops trailing blank lines (sections are separated by two empty lines). */
export function withoutTrailingBlanks(lines: Line[]): Line[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]?.text ?? '')) end--;
  return lines.slice(0, end);
}
