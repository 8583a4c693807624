import { RowCells } from './cells.ts';
import { readRow, rowText, tableColumns } from './columns.ts';
import { trimPadding, type TextLines } from './lines.ts';
import type { SessionTrack, SessionWarning, TrackEvent, TrackState } from './types.ts';

/** The lines of a track before its event table, in the order Pro Tools 10+ writes them. */
const FIELD_KEYS = ['TRACK NAME:', 'COMMENTS:', 'USER DELAY:', 'STATE:', 'PLUG-INS:'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];
/** Pro Tools 7/8 write only TRACK NAME and USER DELAY; later versions added the others. */
const OPTIONAL_KEYS: readonly FieldKey[] = ['COMMENTS:', 'USER DELAY:', 'STATE:', 'PLUG-INS:'];

const isEventHeader = (text: string): boolean => text.charCodeAt(0) === 67 && /^CHANNEL\s+EVENT\b/.test(text);
/**
 * First letters of the field keys and of CHANNEL (T, C, U, S, P): an event row starts with a
 * digit, so most lines fail here. Compared as codes, as this runs once per event row.
 */
const isFieldFirst = (c: number): boolean => c === 84 || c === 67 || c === 85 || c === 83 || c === 80;
const fieldAt = (text: string): FieldKey | undefined =>
  isFieldFirst(text.charCodeAt(0)) ? FIELD_KEYS.find((k) => text.startsWith(k)) : undefined;
/** Whether line `i` starts a field or an event table; only a line with a likely first letter is cut. */
const startsField = (lines: TextLines, i: number): boolean => {
  if (!isFieldFirst(lines.charAt(i, 0))) return false;
  const text = lines.textOf(i);
  return fieldAt(text) !== undefined || isEventHeader(text);
};
const fieldOfLine = (lines: TextLines, i: number): FieldKey | undefined =>
  i < lines.count && isFieldFirst(lines.charAt(i, 0)) ? fieldAt(lines.textOf(i)) : undefined;

/** Reads the STATE line's space-separated words into flags, keeping every word. */
function readState(value: string): TrackState {
  const words = value.split(/\s+/).filter((w) => w.length > 0);
  const has = (w: string): boolean => words.some((x) => x.toLowerCase() === w);
  return {
    inactive: has('inactive'),
    hidden: has('hidden'),
    muted: has('muted'),
    solo: has('solo'),
    soloSafe: has('solosafe'),
    words,
  };
}

/** The values of the STATE column, shared by every event rather than cut out once per row. */
const STATES = ['Unmuted', 'Muted'];

/**
 * Reads the event rows of one table, for its column header (CLIP NAME may itself contain
 * TABs, so the columns after it are counted from the right). Column positions are looked up
 * once per table; a row's cells are read in place and only the values kept are cut out of
 * the text. One class for every table (not a closure per table), so the per-row call and the
 * event objects it makes keep one shape.
 */
class EventTable {
  private readonly columnCount: number;
  /** Columns after CLIP NAME. */
  private readonly after: number;
  /** Positions after CLIP NAME of the kept columns, or -1 for a column the table lacks. */
  private readonly start: number;
  private readonly end: number;
  private readonly duration: number;
  private readonly state: number;

  constructor(
    columns: readonly string[],
    private readonly warnings: SessionWarning[],
  ) {
    const right = (name: string): number => {
      const k = columns.indexOf(name);
      return k >= 3 ? k - 3 : -1;
    };
    this.columnCount = columns.length;
    this.after = Math.max(0, columns.length - 3);
    this.start = right('START TIME');
    this.end = right('END TIME');
    this.duration = right('DURATION');
    this.state = right('STATE');
  }

  read(cells: RowCells, line: number): TrackEvent {
    if (cells.count < this.columnCount) {
      this.warnings.push({
        line,
        column: cells.length + 1,
        message: `event row has ${cells.count} of ${this.columnCount} columns (is the file truncated?)`,
      });
    }
    const whole = cells.count >= 3 + this.after;
    const first = whole ? cells.count - this.after : 3;
    return {
      channel: this.int(cells, 0, line, 'CHANNEL'),
      event: this.int(cells, 1, line, 'EVENT'),
      // A CLIP NAME with TABs in it spans several cells; almost none has one.
      clipName: cells.span(2, first),
      startTime: this.start < 0 ? '' : cells.get(first + this.start),
      endTime: this.end < 0 ? '' : cells.get(first + this.end),
      duration: this.duration < 0 ? '' : cells.get(first + this.duration),
      state: this.state < 0 ? '' : cells.get(first + this.state, STATES),
      line,
    };
  }

  private int(cells: RowCells, k: number, line: number, what: string): number {
    const fast = cells.digits(k);
    if (fast >= 0) return fast;
    const t = cells.get(k);
    if (/^\d+$/.test(t)) return Number(t);
    this.warnings.push({ line, column: 1, message: `event row: ${what} '${t}' is not a number` });
    return 0;
  }
}

/** The value after `KEY:`, without the TAB or space padding that separates them. */
const valueAfter = (text: string, key: string): string => text.slice(key.length).replace(/^(\t| +)/, '');

/**
 * Parses the TRACK LISTING. Each track is `TRACK NAME:` then, depending on the version,
 * `COMMENTS:`, `USER DELAY:`, `STATE:` and `PLUG-INS:` lines, then an event table per channel
 * (the column is CLIP NAME, or REGION NAME before Pro Tools 10; STATE is absent before 8).
 * Names and comments may hold TABs and LFs written as is: a field runs until the line that
 * starts the next field. A field line no track has is an `info` entry, once per field.
 */
export function parseTracks(
  lines: TextLines,
  from: number,
  to: number,
  warnings: SessionWarning[],
  info: SessionWarning[],
): SessionTrack[] {
  const tracks: SessionTrack[] = [];
  const missing = new Map<FieldKey, { line: number; count: number }>();
  const cells = new RowCells();
  let i = from;
  while (i < to) {
    const startLine = i + 1;
    if (!lines.textOf(i).startsWith('TRACK NAME:')) {
      if (!lines.isBlank(i))
        warnings.push({
          line: startLine,
          column: 1,
          message: 'unexpected line in track listing (expected TRACK NAME:)',
        });
      i++;
      continue;
    }
    const values = new Map<FieldKey, string>();
    let first = true;
    for (let key = fieldOfLine(lines, i); key && (first || key !== 'TRACK NAME:');) {
      first = false;
      const at = i++;
      const parts = [valueAfter(lines.textOf(at), key)];
      if (key === 'TRACK NAME:' || key === 'COMMENTS:') {
        while (i < to && !startsField(lines, i)) parts.push(lines.textOf(i++));
      }
      if (values.has(key)) warnings.push({ line: at + 1, column: 1, message: `track repeats its '${key}' line` });
      else values.set(key, parts.join('\n'));
      key = i < to ? fieldOfLine(lines, i) : undefined;
    }
    for (const key of OPTIONAL_KEYS) {
      if (values.has(key)) continue;
      const seen = missing.get(key);
      if (seen) seen.count++;
      else missing.set(key, { line: startLine, count: 1 });
    }
    const events: TrackEvent[] = [];
    while (i < to && lines.charAt(i, 0) === 67 && isEventHeader(lines.textOf(i))) {
      // The header line is not blank, so its columns are the table's.
      const starts = tableColumns(lines, i, i + 1);
      const table = new EventTable(rowText(lines, i, starts).split('\t').map(trimPadding), warnings);
      // The table runs until the line that starts the next field (or table, or track).
      for (i++; i < to && !startsField(lines, i); i++) {
        if (!readRow(lines, i, starts, cells).blank) events.push(table.read(cells, i + 1));
      }
    }
    const userDelay = trimPadding(values.get('USER DELAY:') ?? '');
    const delay = /^(-?\d+) Samples$/.exec(userDelay);
    tracks.push({
      name: values.get('TRACK NAME:') ?? '',
      comments: values.get('COMMENTS:') ?? '',
      userDelay,
      userDelaySamples: delay ? Number(delay[1]) : null,
      state: readState(values.get('STATE:') ?? ''),
      plugins: (values.get('PLUG-INS:') ?? '')
        .split('\t')
        .map(trimPadding)
        .filter((p) => p.length > 0),
      events,
      line: startLine,
    });
  }
  for (const [key, { line, count }] of missing) {
    const which = count === tracks.length ? 'no track has a' : `${count} of ${tracks.length} tracks have no`;
    info.push({ line, column: 1, message: `${which} '${key}' line (older Pro Tools versions leave it out)` });
  }
  return tracks;
}
