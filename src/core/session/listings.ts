import { RowCells } from './cells.ts';
import { readRow, rowText, tableColumns } from './columns.ts';
import type { TextLines } from './lines.ts';
import type { SessionClip, SessionFile, SessionPlugin, SessionWarning } from './types.ts';

/** A column name, or the names different versions gave it (REGION NAME before CLIP NAME). */
type ColumnName = string | readonly string[];

/**
 * Reads a listing section (lines `from` to `to`): its column-header line, warning when the
 * header is not the expected one, then each data row, cut on TAB, to `row`. One RowCells is
 * reused for every row: a clips listing has a row per clip (100,000 and more).
 */
function readTable(
  lines: TextLines,
  from: number,
  to: number,
  expected: readonly ColumnName[],
  what: string,
  warnings: SessionWarning[],
  row: (cells: RowCells, line: number) => void,
): void {
  const end = lines.withoutTrailingBlanks(from, to);
  if (end <= from) return;
  const starts = tableColumns(lines, from, end);
  const upper = rowText(lines, from, starts).toUpperCase();
  const names = (c: ColumnName): readonly string[] => (typeof c === 'string' ? [c] : c);
  let first = from + 1;
  if (!expected.every((c) => names(c).some((word) => upper.includes(word)))) {
    warnings.push({
      line: from + 1,
      column: 1,
      message: `${what}: expected a column header naming ${expected.map((c) => names(c).join(' or ')).join(', ')}`,
    });
    first = from;
  }
  const cells = new RowCells();
  for (let i = first; i < end; i++) {
    if (!readRow(lines, i, starts, cells).blank) row(cells, i + 1);
  }
}

/** Rows of an (ON|OFF)LINE FILES IN SESSION listing: `Filename<TAB>Location`. */
export function parseFiles(
  lines: TextLines,
  from: number,
  to: number,
  online: boolean,
  warnings: SessionWarning[],
): SessionFile[] {
  const files: SessionFile[] = [];
  readTable(lines, from, to, ['FILENAME', 'LOCATION'], 'files listing', warnings, (cells, line) => {
    if (cells.count < 2) warnings.push({ line, column: 1, message: 'file row has no Location column' });
    files.push({ name: cells.get(0), location: cells.join(1, cells.count), online });
  });
  return files;
}

/** `[<digits>]`: the channel cell of a clip of a multichannel file. */
const isChannel = (cell: string): boolean => cell.charCodeAt(0) === 91 && /^\[\d+\]$/.test(cell);

/**
 * Rows of an (ON|OFF)LINE CLIPS (or REGIONS, before Pro Tools 10) IN SESSION listing:
 * `CLIP NAME<TAB>Source File[<TAB>[channel]]`.
 */
export function parseClips(
  lines: TextLines,
  from: number,
  to: number,
  online: boolean,
  warnings: SessionWarning[],
): SessionClip[] {
  const clips: SessionClip[] = [];
  const header = [['CLIP NAME', 'REGION NAME'], 'SOURCE FILE'];
  readTable(lines, from, to, header, 'clips listing', warnings, (cells, line) => {
    if (cells.count < 2) warnings.push({ line, column: 1, message: 'clip row has no Source File column' });
    const channel = cells.count >= 3 ? cells.get(cells.count - 1) : '';
    const hasChannel = cells.count >= 3 && isChannel(channel);
    // Almost every row has one Source File cell; only a name with TABs needs a join.
    const sourceFile = cells.join(1, hasChannel ? cells.count - 1 : cells.count);
    clips.push({ name: cells.get(0), sourceFile, channel: hasChannel ? channel : null, online });
  });
  return clips;
}

/** Rows of the PLUG-INS LISTING; a blank MANUFACTURER repeats the one above. */
export function parsePlugins(lines: TextLines, from: number, to: number, warnings: SessionWarning[]): SessionPlugin[] {
  const header = ['MANUFACTURER', 'PLUG-IN NAME', 'VERSION', 'FORMAT', 'STEMS', 'NUMBER OF INSTANCES'];
  const plugins: SessionPlugin[] = [];
  let manufacturer = '';
  readTable(lines, from, to, header, 'plug-ins listing', warnings, (cells, line) => {
    if (cells.count !== 6)
      warnings.push({ line, column: 1, message: `plug-in row has ${cells.count} columns, expected 6` });
    const first = cells.get(0);
    if (first) manufacturer = first;
    plugins.push({
      manufacturer,
      name: cells.get(1),
      version: cells.get(2),
      format: cells.get(3),
      stems: cells.get(4),
      instances: cells.join(5, cells.count),
    });
  });
  return plugins;
}
