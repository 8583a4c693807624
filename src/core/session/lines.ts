/** One physical line of the text file with its 1-based line number. */
export interface Line {
  text: string;
  line: number;
}

/** Which line break the file uses; embedded breaks in names are rebuilt as "\n" regardless. */
export type LineEnding = 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';

/** How many times `needle` occurs in `text`. */
function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Splits text on LF, CRLF and CR, keeping line numbers. A final line break does not start
 * an extra empty line; `endsWithBreak` tells whether it was there (a missing one hints at a
 * truncated file). Uses the runtime's native split: exports run to tens of megabytes.
 */
export function splitLines(text: string): { lines: Line[]; lineEnding: LineEnding; endsWithBreak: boolean } {
  const cr = text.indexOf('\r') >= 0 ? count(text, '\r') : 0;
  const lf = text.indexOf('\n') >= 0 ? count(text, '\n') : 0;
  const crlf = cr > 0 && lf > 0 ? count(text, '\r\n') : 0;
  const parts = cr === 0 ? text.split('\n') : lf === 0 ? text.split('\r') : text.split(/\r\n|\r|\n/);
  const endsWithBreak = text.length > 0 && parts[parts.length - 1] === '';
  if (endsWithBreak || text.length === 0) parts.pop();
  const lines = new Array<Line>(parts.length);
  for (let i = 0; i < parts.length; i++) lines[i] = { text: parts[i] ?? '', line: i + 1 };
  const kinds = (lf - crlf ? 1 : 0) + (crlf ? 1 : 0) + (cr - crlf ? 1 : 0);
  const lineEnding: LineEnding = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : crlf ? 'CRLF' : cr ? 'CR' : 'LF';
  return { lines, lineEnding, endsWithBreak };
}

/** Trims the space padding Pro Tools adds to fixed-width columns (tabs are content). */
export function trimPadding(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 32) start++;
  while (end > start && value.charCodeAt(end - 1) === 32) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

/** Trims only the trailing space padding (names may start with spaces). */
export function trimPaddingEnd(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  return value.slice(0, end);
}

/** True when the line holds nothing but spaces. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 32) return false;
  return true;
}

/** Drops trailing blank lines (sections are separated by two empty lines). */
export function withoutTrailingBlanks(lines: Line[]): Line[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]?.text ?? '')) end--;
  return lines.slice(0, end);
}
