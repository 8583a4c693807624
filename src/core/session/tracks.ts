import { tabulate } from './columns.ts';
import { isBlank, trimPadding, type Line } from './lines.ts';
import type { SessionTrack, SessionWarning, TrackEvent, TrackState } from './types.ts';

/** The lines of a track before its event table, in the order Pro Tools 10+ writes them. */
const FIELD_KEYS = ['TRACK NAME:', 'COMMENTS:', 'USER DELAY:', 'STATE:', 'PLUG-INS:'] as const;
type FieldKey = (typeof FIELD_KEYS)[number];
/** Pro Tools 7/8 write only TRACK NAME and USER DELAY; later versions added the others. */
const OPTIONAL_KEYS: readonly FieldKey[] = ['COMMENTS:', 'USER DELAY:', 'STATE:', 'PLUG-INS:'];

const isEventHeader = (text: string): boolean => text.charCodeAt(0) === 67 && /^CHANNEL\s+EVENT\b/.test(text);
/** First letters of the field keys and of CHANNEL: an event row starts with a digit, so most lines fail here. */
const FIELD_FIRST = new Set(['T', 'C', 'U', 'S', 'P'].map((c) => c.charCodeAt(0)));
const fieldAt = (text: string): FieldKey | undefined =>
  FIELD_FIRST.has(text.charCodeAt(0)) ? FIELD_KEYS.find((k) => text.startsWith(k)) : undefined;
const startsField = (text: string): boolean =>
  FIELD_FIRST.has(text.charCodeAt(0)) && (fieldAt(text) !== undefined || isEventHeader(text));

/** The value of a cell of ASCII digits (space padding allowed), or -1; no regex, no allocation. */
function digitsValue(cell: string): number {
  let start = 0;
  let end = cell.length;
  while (start < end && cell.charCodeAt(start) === 32) start++;
  while (end > start && cell.charCodeAt(end - 1) === 32) end--;
  // Past 15 digits a number loses precision; the regex path reports it as before.
  if (start === end || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = cell.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

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

/** Cell `k` counted from `first` (trimmed), or '' for a column the table does not have. */
const cellAt = (cells: string[], first: number, k: number): string =>
  k < 0 ? '' : trimPadding(cells[first + k] ?? '');

/**
 * A reader of event rows for one column header (CLIP NAME may itself contain TABs, so the
 * columns after it are counted from the right). Column positions are looked up once per table.
 */
function eventReader(columns: string[], warnings: SessionWarning[]): (l: Line) => TrackEvent {
  const after = Math.max(0, columns.length - 3);
  const right = (name: string): number => {
    const k = columns.indexOf(name);
    return k >= 3 ? k - 3 : -1;
  };
  const start = right('START TIME');
  const end = right('END TIME');
  const duration = right('DURATION');
  const state = right('STATE');
  const int = (l: Line, cell: string | undefined, what: string): number => {
    const fast = digitsValue(cell ?? '');
    if (fast >= 0) return fast;
    const t = trimPadding(cell ?? '');
    if (/^\d+$/.test(t)) return Number(t);
    warnings.push({ line: l.line, column: 1, message: `event row: ${what} '${t}' is not a number` });
    return 0;
  };
  return (l) => {
    const cells = l.text.split('\t');
    if (cells.length < columns.length) {
      warnings.push({
        line: l.line,
        column: l.text.length + 1,
        message: `event row has ${cells.length} of ${columns.length} columns (is the file truncated?)`,
      });
    }
    const whole = cells.length >= 3 + after;
    const first = whole ? cells.length - after : 3;
    // A CLIP NAME with TABs in it spans several cells; almost none has one.
    const clipName = whole && first > 3 ? cells.slice(2, first).join('\t') : (cells[2] ?? '');
    return {
      channel: int(l, cells[0], 'CHANNEL'),
      event: int(l, cells[1], 'EVENT'),
      clipName: trimPadding(clipName),
      startTime: cellAt(cells, first, start),
      endTime: cellAt(cells, first, end),
      duration: cellAt(cells, first, duration),
      state: cellAt(cells, first, state),
      line: l.line,
    };
  };
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
export function parseTracks(lines: Line[], warnings: SessionWarning[], info: SessionWarning[]): SessionTrack[] {
  const tracks: SessionTrack[] = [];
  const missing = new Map<FieldKey, { line: number; count: number }>();
  let i = 0;
  while (i < lines.length) {
    const start = lines[i];
    if (!start) break;
    if (!start.text.startsWith('TRACK NAME:')) {
      if (!isBlank(start.text))
        warnings.push({
          line: start.line,
          column: 1,
          message: 'unexpected line in track listing (expected TRACK NAME:)',
        });
      i++;
      continue;
    }
    const values = new Map<FieldKey, string>();
    let first = true;
    for (let key = fieldAt(lines[i]?.text ?? ''); key && (first || key !== 'TRACK NAME:');) {
      first = false;
      const l = lines[i++];
      const parts = [valueAfter(l?.text ?? '', key)];
      if (key === 'TRACK NAME:' || key === 'COMMENTS:') {
        while (i < lines.length && !startsField(lines[i]?.text ?? '')) parts.push(lines[i++]?.text ?? '');
      }
      if (values.has(key))
        warnings.push({ line: l?.line ?? start.line, column: 1, message: `track repeats its '${key}' line` });
      else values.set(key, parts.join('\n'));
      key = fieldAt(lines[i]?.text ?? '');
    }
    for (const key of OPTIONAL_KEYS) {
      if (values.has(key)) continue;
      const seen = missing.get(key);
      if (seen) seen.count++;
      else missing.set(key, { line: start.line, count: 1 });
    }
    const events: TrackEvent[] = [];
    while (i < lines.length && isEventHeader(lines[i]?.text ?? '')) {
      let end = i + 1;
      while (end < lines.length && !startsField(lines[end]?.text ?? '')) end++;
      const table = tabulate(lines.slice(i, end));
      const read = eventReader((table[0]?.text ?? '').split('\t').map(trimPadding), warnings);
      for (let k = 1; k < table.length; k++) {
        const l = table[k];
        if (l && !isBlank(l.text)) events.push(read(l));
      }
      i = end;
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
      line: start.line,
    });
  }
  for (const [key, { line, count }] of missing) {
    const which = count === tracks.length ? 'no track has a' : `${count} of ${tracks.length} tracks have no`;
    info.push({ line, column: 1, message: `${which} '${key}' line (older Pro Tools versions leave it out)` });
  }
  return tracks;
}
