import { trimPadding, type TextLines } from './lines.ts';
import type { SessionHeader, SessionWarning, TextPosition } from './types.ts';

/**
 * The header keys Pro Tools writes, each with the spellings versions used for it. Only
 * SESSION NAME is always there (it is how a session text is recognised); Pro Tools 7/8 write
 * no SESSION START TIMECODE, say "TIME CODE FORMAT" and count REGIONS instead of CLIPS.
 */
const KEYS = {
  sessionName: ['SESSION NAME'],
  sampleRate: ['SAMPLE RATE'],
  bitDepth: ['BIT DEPTH'],
  startTimecode: ['SESSION START TIMECODE'],
  timecodeFormat: ['TIMECODE FORMAT', 'TIME CODE FORMAT'],
  audioTrackCount: ['# OF AUDIO TRACKS'],
  audioClipCount: ['# OF AUDIO CLIPS', '# OF AUDIO REGIONS'],
  audioFileCount: ['# OF AUDIO FILES'],
} as const;

type Field = keyof typeof KEYS;
const FIELDS = Object.keys(KEYS) as Field[];
const fieldOf = (key: string): Field | undefined => FIELDS.find((f) => (KEYS[f] as readonly string[]).includes(key));

/**
 * `KEY:` then a TAB (every known version) or space padding, then the value. The key is
 * capitals, digits, '#' and single spaces, so a section title or a table row never matches.
 */
const HEADER_LINE = /^([A-Z#][A-Z0-9#]*(?: [A-Z0-9#]+)*):(\t| +|$)(.*)$/;

type HeaderOutcome =
  { ok: true; header: SessionHeader; consumed: number } | { ok: false; message: string; at: TextPosition };

/**
 * Reads `KEY:<TAB>value` lines from line `from` until the first line that is not one. A field
 * that is missing is an `info` entry (older versions do not write it), never an error; its
 * value is null.
 */
export function parseHeader(
  lines: TextLines,
  from: number,
  warnings: SessionWarning[],
  info: SessionWarning[],
): HeaderOutcome {
  const values = new Map<Field, { value: string; line: number; column: number; key: string }>();
  const otherFields: Array<{ key: string; value: string }> = [];
  let consumed = 0;
  for (let i = from; i < lines.count; i++) {
    const m = HEADER_LINE.exec(lines.textOf(i));
    if (!m) break;
    const key = m[1] ?? '';
    const separator = m[2] ?? '';
    // A TAB-separated value is kept as written; space padding is layout, not content.
    const value = separator === '\t' ? (m[3] ?? '') : trimPadding(m[3] ?? '');
    const field = fieldOf(key);
    if (field && !values.has(field))
      values.set(field, { value, line: i + 1, column: key.length + 2 + separator.length, key });
    else otherFields.push({ key, value });
    consumed++;
  }
  if (!values.has('sessionName')) {
    return { ok: false, message: "line 1 should be the 'SESSION NAME:' header line", at: { line: 1, column: 1 } };
  }
  const endLine = from + consumed < lines.count ? from + consumed + 1 : from + consumed;
  for (const field of FIELDS) {
    if (values.has(field)) continue;
    const names = KEYS[field].map((k) => `'${k}:'`).join(' or ');
    info.push({
      line: endLine,
      column: 1,
      message: `the header has no ${names} line (older Pro Tools versions leave it out)`,
    });
  }
  const text = (field: Field): string | null => values.get(field)?.value ?? null;
  const number = (field: Field, pattern: RegExp): number | null => {
    const v = values.get(field);
    if (!v) return null;
    if (pattern.test(v.value)) return Number(v.value);
    warnings.push({ line: v.line, column: v.column, message: `${v.key}: '${v.value}' is not a number` });
    return null;
  };
  const header: SessionHeader = {
    sessionName: text('sessionName') ?? '',
    sampleRate: number('sampleRate', /^\d+(\.\d+)?$/),
    bitDepth: text('bitDepth'),
    startTimecode: text('startTimecode'),
    timecodeFormat: text('timecodeFormat'),
    audioTrackCount: number('audioTrackCount', /^\d+$/),
    audioClipCount: number('audioClipCount', /^\d+$/),
    audioFileCount: number('audioFileCount', /^\d+$/),
    otherFields,
  };
  return { ok: true, header, consumed };
}
