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
  let rows = body.slice(1);
  const names = (c: ColumnName): readonly string[] => (typeof c === 'string' ? [c] : c);
  if (!expected.every((c) => names(c).some((word) => upper.includes(word)))) {
    warnings.push({
      line: first.line,
      column: 1,
      message: `${what}: expected a column header naming ${expected.map((c) => names(c).join(' or ')).join(', ')}`,
    });
    rows = body;
  }
  return rows
    .filter((l) => !isBlank(l.text))
    .map((l) => ({ cells: l.text.split('\t').map(trimPadding), line: l.line }));
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
      const hasChannel = cells.length >= 3 && /^\[\d+\]$/.test(last);
      const middle = cells.slice(1, hasChannel ? -1 : undefined);
      return { name: cells[0] ?? '', sourceFile: middle.join('\t'), channel: hasChannel ? last : null, online };
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
