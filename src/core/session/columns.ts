import type { RowCells } from './cells.ts';
import type { Line, TextLines } from './lines.ts';

/**
 * Tables written with space-aligned columns and no TABs (the "space-padded" layout some
 * exports have, for instance after passing through a text editor that expanded TABs). They are
 * turned into the usual TAB-separated layout here, so each listing reader has one layout to
 * read. Columns are found on the table's header line: a column starts after a run of two or
 * more spaces (column names hold single spaces, e.g. "CLIP NAME"). A row is cut at those
 * positions; a value that overflows its column (Pro Tools does not cut long values) pushes
 * the cut to the next space after it.
 */

/** Start offsets of the columns of a space-aligned header line, or null for a TAB layout. */
export function columnStarts(header: string): number[] | null {
  if (header.includes('\t')) return null;
  const starts = [0];
  const gap = / {2,}(?=\S)/g;
  for (let m = gap.exec(header); m; m = gap.exec(header)) starts.push(m.index + m[0].length);
  return starts.length > 1 ? starts : null;
}

/** One space-aligned row cut into cells at `starts`, joined with TABs (padding kept). */
export function cutRow(text: string, starts: readonly number[]): string {
  if (text.includes('\t')) return text;
  const cuts: number[] = [];
  let previous = 0;
  for (let k = 1; k < starts.length; k++) {
    let p = Math.max(starts[k] ?? 0, previous + 1);
    while (p <= text.length && text.charCodeAt(p - 1) !== 32) p++;
    // A cut at the very end leaves an empty last cell (a blank COMMENTS column).
    if (p > text.length) break;
    cuts.push(p);
    previous = p;
  }
  if (cuts.length === 0) return text;
  const cells: string[] = [];
  let from = 0;
  for (const c of cuts) {
    // The single separating space belongs to neither cell.
    cells.push(text.slice(from, c - 1));
    from = c;
  }
  cells.push(text.slice(from));
  return cells.join('\t');
}

/** A table (its header line first) in the TAB layout, converting a space-aligned one. */
export function tabulate(lines: Line[]): Line[] {
  const first = lines.find((l) => l.text.trim().length > 0);
  const starts = first ? columnStarts(first.text) : null;
  if (!starts) return lines;
  return lines.map((l) => ({ line: l.line, text: cutRow(l.text, starts) }));
}

/** Column starts of the table on lines `from` to `to` when it is space-aligned, else null. */
export function tableColumns(lines: TextLines, from: number, to: number): number[] | null {
  for (let i = from; i < to; i++) {
    const text = lines.textOf(i);
    if (text.trim().length > 0) return columnStarts(text);
  }
  return null;
}

/** Line `i` of a table as its reader sees it: as written, or cut at the column starts. */
export function rowText(lines: TextLines, i: number, starts: readonly number[] | null): string {
  return starts ? cutRow(lines.textOf(i), starts) : lines.textOf(i);
}

/**
 * Reads line `i` of a table into `cells`: in place in the decoded text for the TAB layout
 * (no string made), or from the row cut at the column starts for a space-aligned table.
 */
export function readRow(lines: TextLines, i: number, starts: readonly number[] | null, cells: RowCells): RowCells {
  if (!starts) return cells.read(lines.textAt(i), lines.start(i), lines.end(i));
  const row = cutRow(lines.textOf(i), starts);
  return cells.read(row, 0, row.length);
}
