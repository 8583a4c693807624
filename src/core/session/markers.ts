import { tabulate } from './columns.ts';
import { isBlank, trimPadding, trimPaddingEnd as trimEnd, withoutTrailingBlanks, type Line } from './lines.ts';
import type { SessionMarker, SessionWarning } from './types.ts';

/** The marker table's columns as read from its header line. */
interface MarkerColumns {
  names: string[];
  /** Columns before NAME (#, LOCATION, TIME REFERENCE, UNITS): they never hold TABs. */
  fixed: number;
  /** Width Pro Tools pads NAME to, in characters (33 in every known version). */
  nameWidth: number;
  /** Pro Tools 2023.12+ adds TRACK NAME and TRACK TYPE between NAME and COMMENTS. */
  trackColumns: boolean;
}

/** One marker row gathered from its physical lines, before the columns are told apart. */
interface MarkerRecord {
  first: Line;
  cells: string[];
  /** NAME [TAB TRACK NAME TAB TRACK TYPE] TAB COMMENTS, with raw LFs between lines. */
  main: string[];
  /** COMMENTS continued on lines whose other columns are written blank. */
  commentLines: string[];
}

const TRACK_TYPES = ['Ruler', 'Track'];
const charLength = (s: string): number => [...s].length;

function readColumns(header: string): MarkerColumns {
  const raw = header.split('\t');
  const names = raw.map(trimPadding);
  const nameAt = names.indexOf('NAME');
  return {
    names,
    fixed: nameAt >= 0 ? nameAt : 4,
    nameWidth: nameAt >= 0 && nameAt < raw.length - 1 ? charLength(raw[nameAt] ?? '') : 0,
    trackColumns: names.includes('TRACK NAME') && names.includes('TRACK TYPE'),
  };
}

/** `<number><TAB><location><TAB><time reference><TAB><units><TAB>`: a new marker row. */
const isRowStart = (cells: string[], cols: MarkerColumns): boolean =>
  /^\d+ *$/.test(cells[0] ?? '') && cells.length > cols.fixed && cells.slice(1, cols.fixed).every((c) => !isBlank(c));
const isCommentContinuation = (cells: string[], cols: MarkerColumns): boolean =>
  cells.length >= cols.names.length && cells.slice(0, cols.names.length - 1).every(isBlank);

/** Groups physical lines into marker records; any other line continues the current record. */
function gatherRecords(lines: Line[], cols: MarkerColumns, warnings: SessionWarning[]): MarkerRecord[] {
  const records: MarkerRecord[] = [];
  let current: MarkerRecord | null = null;
  let blanks = 0;
  for (const l of lines) {
    const cells = l.text.split('\t');
    if (isRowStart(cells, cols)) {
      current = { first: l, cells, main: [cells.slice(cols.fixed).join('\t')], commentLines: [] };
      records.push(current);
      blanks = 0;
    } else if (isBlank(l.text)) {
      blanks++;
    } else if (!current) {
      warnings.push({
        line: l.line,
        column: 1,
        message: 'unexpected line in markers listing (expected a marker number)',
      });
    } else {
      const continuation = isCommentContinuation(cells, cols);
      const target = continuation || current.commentLines.length > 0 ? current.commentLines : current.main;
      for (; blanks > 0; blanks--) target.push('');
      target.push(continuation ? cells.slice(cols.names.length - 1).join('\t') : l.text);
    }
  }
  return records;
}

/**
 * Tells NAME, TRACK NAME, TRACK TYPE and COMMENTS apart in a record. NAME is padded with
 * spaces to `nameWidth` characters counting any TABs and LFs inside it, so NAME takes TAB-
 * separated pieces until it is that long; COMMENTS is last and takes whatever remains.
 */
function readRecord(rec: MarkerRecord, cols: MarkerColumns, warnings: SessionWarning[]): SessionMarker {
  const { first, cells } = rec;
  const tokens = rec.main.join('\n').split('\t');
  const after = cols.trackColumns ? 3 : 1;
  if (tokens.length < after + 1) {
    warnings.push({
      line: first.line,
      column: first.text.length + 1,
      message: `marker row ends before its ${cols.names[cols.names.length - 1] ?? 'last'} column (is the file truncated?)`,
    });
  }
  let take = 1;
  while (charLength(tokens.slice(0, take).join('\t')) < cols.nameWidth && tokens.length - take > after) take++;
  if (cols.trackColumns && !TRACK_TYPES.includes(trimPadding(tokens[take + 1] ?? ''))) {
    const k = tokens.findIndex((t, idx) => idx >= 2 && TRACK_TYPES.includes(trimPadding(t)));
    if (k >= 2) take = k - 1;
    else if (tokens.length > after)
      warnings.push({
        line: first.line,
        column: 1,
        message: `marker TRACK TYPE '${trimPadding(tokens[take + 1] ?? '')}' is neither Ruler nor Track`,
      });
  }
  const rest = tokens.slice(take);
  const comments = (cols.trackColumns ? rest.slice(2) : rest).join('\t');
  const numberText = trimPadding(cells[0] ?? '');
  return {
    number: Number(numberText),
    location: trimPadding(cells[1] ?? ''),
    timeReference: trimPadding(cells[2] ?? ''),
    units: trimPadding(cells[3] ?? ''),
    name: trimEnd(tokens.slice(0, take).join('\t')),
    trackName: cols.trackColumns ? trimEnd(rest[0] ?? '') : null,
    trackType: cols.trackColumns ? trimPadding(rest[1] ?? '') : null,
    comments: [comments, ...rec.commentLines].join('\n'),
    line: first.line,
  };
}

/** Parses the MARKERS LISTING, rebuilding names and comments that contain TABs and LFs. */
export function parseMarkers(lines: Line[], warnings: SessionWarning[]): SessionMarker[] {
  const body = tabulate(withoutTrailingBlanks(lines));
  const header = body[0];
  if (!header) return [];
  if (!/^#\s*\t/.test(header.text) || !header.text.includes('LOCATION')) {
    warnings.push({
      line: header.line,
      column: 1,
      message: 'markers listing: expected a column header (#, LOCATION, …); markers skipped',
    });
    return [];
  }
  const cols = readColumns(header.text);
  return gatherRecords(body.slice(1), cols, warnings).map((rec) => readRecord(rec, cols, warnings));
}
