import { tabulate } from './columns.ts';
import { isBlank, trimPadding, withoutTrailingBlanks, type Line } from './lines.ts';
import type { SessionClip, SessionFile, SessionPlugin, SessionWarning } from './types.ts';

/** A column name, or the names different versions gave it (REGION NAME before CLIP NAME). */
type ColumnName = string | readonly string[];

/**
 * Splits a listing section into its column-header line and data rows, warning when the
 * header is not the expected one. Each row is cut on TAB with the space padding trimmed.
 */
function tableRows(
  lines: Line[],
  expected: readonly ColumnName[],
  what: string,
  warnings: SessionWarning[],
): Array<{ cells: string[]; line: number }> {
  const body = tabulate(withoutTrailingBlanks(lines));
  const first = body[0];
  if (!first) return [];
  const upper = first.text.toUpperCase();
  const names = (c: ColumnName): readonly string[] => (typeof c === 'string' ? [c] : c);
  let from = 1;
  if (!expected.every((c) => names(c).some((word) => upper.includes(word)))) {
    warnings.push({
      line: first.line,
      column: 1,
      message: `${what}: expected a column header naming ${expected.map((c) => names(c).join(' or ')).join(', ')}`,
    });
    from = 0;
  }
  // One pass, no intermediate arrays: a clips listing has a row per clip (100,000 and more).
  const rows: Array<{ cells: string[]; line: number }> = [];
  for (let k = from; k < body.length; k++) {
    const l = body[k];
    if (!l || isBlank(l.text)) continue;
    const cells = l.text.split('\t');
    for (let c = 0; c < cells.length; c++) cells[c] = trimPadding(cells[c] ?? '');
    rows.push({ cells, line: l.line });
  }
  return rows;
}

/** Rows of an (ON|OFF)LINE FILES IN SESSION listing: `Filename<TAB>Location`. */
export function parseFiles(lines: Line[], online: boolean, warnings: SessionWarning[]): SessionFile[] {
  return tableRows(lines, ['FILENAME', 'LOCATION'], 'files listing', warnings).map(({ cells, line }) => {
    if (cells.length < 2) warnings.push({ line, column: 1, message: 'file row has no Location column' });
    return { name: cells[0] ?? '', location: cells.slice(1).join('\t'), online };
  });
}

/**
 * Rows of an (ON|OFF)LINE CLIPS (or REGIONS, before Pro Tools 10) IN SESSION listing:
 * `CLIP NAME<TAB>Source File[<TAB>[channel]]`.
 */
export function parseClips(lines: Line[], online: boolean, warnings: SessionWarning[]): SessionClip[] {
  return tableRows(lines, [['CLIP NAME', 'REGION NAME'], 'SOURCE FILE'], 'clips listing', warnings).map(
    ({ cells, line }) => {
      if (cells.length < 2) warnings.push({ line, column: 1, message: 'clip row has no Source File column' });
      const last = cells[cells.length - 1] ?? '';
      const hasChannel = cells.length >= 3 && last.charCodeAt(0) === 91 && /^\[\d+\]$/.test(last);
      const sourceEnd = hasChannel ? cells.length - 1 : cells.length;
      // Almost every row has one Source File cell; only a name with TABs needs a join.
      const sourceFile = sourceEnd === 2 ? (cells[1] ?? '') : cells.slice(1, sourceEnd).join('\t');
      return { name: cells[0] ?? '', sourceFile, channel: hasChannel ? last : null, online };
    },
  );
}

/** Rows of the PLUG-INS LISTING; a blank MANUFACTURER repeats the one above. */
export function parsePlugins(lines: Line[], warnings: SessionWarning[]): SessionPlugin[] {
  const header = ['MANUFACTURER', 'PLUG-IN NAME', 'VERSION', 'FORMAT', 'STEMS', 'NUMBER OF INSTANCES'];
  let manufacturer = '';
  return tableRows(lines, header, 'plug-ins listing', warnings).map(({ cells, line }) => {
    if (cells.length !== 6)
      warnings.push({ line, column: 1, message: `plug-in row has ${cells.length} columns, expected 6` });
    if (cells[0]) manufacturer = cells[0];
    return {
      manufacturer,
      name: cells[1] ?? '',
      version: cells[2] ?? '',
      format: cells[3] ?? '',
      stems: cells[4] ?? '',
      instances: cells.slice(5).join('\t'),
    };
  });
}
