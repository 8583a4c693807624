import { isBlank, trimPadding, type Line } from './lines.ts';
import type { SessionTrack, SessionWarning, TrackEvent, TrackState } from './types.ts';

const FIELD_KEYS = ['TRACK NAME:', 'COMMENTS:', 'USER DELAY:', 'STATE:', 'PLUG-INS:'] as const;

const isEventHeader = (text: string): boolean => /^CHANNEL\s*\t\s*EVENT\b/.test(text);
const startsField = (text: string): boolean => FIELD_KEYS.some((k) => text.startsWith(k)) || isEventHeader(text);

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

/** Reads one event row against the column header (CLIP NAME may itself contain TABs). */
function readEvent(l: Line, columns: string[], warnings: SessionWarning[]): TrackEvent {
  const cells = l.text.split('\t');
  const after = Math.max(0, columns.length - 3);
  if (cells.length < columns.length) {
    warnings.push({
      line: l.line,
      column: l.text.length + 1,
      message: `event row has ${cells.length} of ${columns.length} columns (is the file truncated?)`,
    });
  }
  const right = cells.length >= 3 + after ? cells.slice(cells.length - after) : cells.slice(3);
  const clipName = cells.length >= 3 + after ? cells.slice(2, cells.length - after).join('\t') : (cells[2] ?? '');
  const at = (name: string): string => trimPadding(right[columns.indexOf(name) - 3] ?? '');
  const int = (cell: string | undefined, what: string): number => {
    const t = trimPadding(cell ?? '');
    if (/^\d+$/.test(t)) return Number(t);
    warnings.push({ line: l.line, column: 1, message: `event row: ${what} '${t}' is not a number` });
    return 0;
  };
  return {
    channel: int(cells[0], 'CHANNEL'),
    event: int(cells[1], 'EVENT'),
    clipName: trimPadding(clipName),
    startTime: at('START TIME'),
    endTime: at('END TIME'),
    duration: at('DURATION'),
    state: at('STATE'),
    line: l.line,
  };
}

/**
 * Parses the TRACK LISTING. Each track is `TRACK NAME:`, `COMMENTS:`, `USER DELAY:`,
 * `STATE:` and `PLUG-INS:` lines, then an event table per channel. Names and comments may
 * hold TABs and LFs written as is: a field runs until the line that starts the next field.
 */
export function parseTracks(lines: Line[], warnings: SessionWarning[]): SessionTrack[] {
  const tracks: SessionTrack[] = [];
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
    const values: string[] = [];
    for (const key of FIELD_KEYS) {
      const l = lines[i];
      if (!l || !l.text.startsWith(key)) {
        warnings.push({
          line: l?.line ?? start.line,
          column: 1,
          message: `track '${values[0] ?? ''}': '${key}' line missing`,
        });
        values.push('');
        continue;
      }
      const parts = [l.text.slice(key.length).replace(/^[ \t]/, '')];
      i++;
      if (key === 'TRACK NAME:' || key === 'COMMENTS:') {
        while (i < lines.length && !startsField(lines[i]?.text ?? '')) parts.push(lines[i++]?.text ?? '');
      }
      values.push(parts.join('\n'));
    }
    const [name = '', comments = '', userDelay = '', state = '', plugins = ''] = values;
    const events: TrackEvent[] = [];
    if (i < lines.length && isEventHeader(lines[i]?.text ?? '')) {
      const columns = (lines[i]?.text ?? '').split('\t').map(trimPadding);
      i++;
      while (i < lines.length && !(lines[i]?.text ?? '').startsWith('TRACK NAME:')) {
        const l = lines[i++];
        if (l && !isBlank(l.text)) events.push(readEvent(l, columns, warnings));
      }
    }
    const delay = /^(-?\d+) Samples$/.exec(trimPadding(userDelay));
    tracks.push({
      name,
      comments,
      userDelay: trimPadding(userDelay),
      userDelaySamples: delay ? Number(delay[1]) : null,
      state: readState(state),
      plugins: plugins
        .split('\t')
        .map(trimPadding)
        .filter((p) => p.length > 0),
      events,
      line: start.line,
    });
  }
  return tracks;
}
