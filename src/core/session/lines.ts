/** One physical line of the text file with its 1-based line number. */
export interface Line {
  text: string;
  line: number;
}

/** Which line break the file uses; embedded breaks in names are rebuilt as "\n" regardless. */
export type LineEnding = 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';

/**
 * Splits text on LF, CRLF and CR, keeping line numbers. A final line break does not start
 * an extra empty line; `endsWithBreak` tells whether it was there (a missing one hints at a
 * truncated file).
 */
export function splitLines(text: string): { lines: Line[]; lineEnding: LineEnding; endsWithBreak: boolean } {
  const lines: Line[] = [];
  let lf = 0,
    crlf = 0,
    cr = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    lines.push({ text: text.slice(start, i), line: lines.length + 1 });
    if (c === 13 && text.charCodeAt(i + 1) === 10) {
      crlf++;
      i++;
    } else if (c === 13) cr++;
    else lf++;
    start = i + 1;
  }
  const endsWithBreak = start === text.length && text.length > 0;
  if (start < text.length) lines.push({ text: text.slice(start), line: lines.length + 1 });
  const kinds = (lf ? 1 : 0) + (crlf ? 1 : 0) + (cr ? 1 : 0);
  const lineEnding: LineEnding = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : lf ? 'LF' : crlf ? 'CRLF' : 'CR';
  return { lines, lineEnding, endsWithBreak };
}

/** Trims the space padding Pro Tools adds to fixed-width columns (tabs are content). */
export function trimPadding(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 32) start++;
  while (end > start && value.charCodeAt(end - 1) === 32) end--;
  return value.slice(start, end);
}

/** Trims only the trailing space padding (names may start with spaces). */
export function trimPaddingEnd(value: string): string {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 32) end--;
  return value.slice(0, end);
}

/** True when the line holds nothing but spaces. */
export function isBlank(text: string): boolean {
  return trimPaddingEnd(text).length === 0;
}

/** Drops trailing blank lines (sections are separated by two empty lines). */
export function withoutTrailingBlanks(lines: Line[]): Line[] {
  let end = lines.length;
  while (end > 0 && isBlank(lines[end - 1]?.text ?? '')) end--;
  return lines.slice(0, end);
}
