import type { Line } from './lines.ts';
import type { SessionHeader, SessionWarning, TextPosition } from './types.ts';

/** The header keys every export starts with, in the order Pro Tools writes them. */
const REQUIRED = [
  'SESSION NAME',
  'SAMPLE RATE',
  'BIT DEPTH',
  'SESSION START TIMECODE',
  'TIMECODE FORMAT',
  '# OF AUDIO TRACKS',
  '# OF AUDIO CLIPS',
  '# OF AUDIO FILES',
] as const;

type HeaderOutcome =
  { ok: true; header: SessionHeader; consumed: number } | { ok: false; message: string; at: TextPosition };

/** Reads `KEY:<TAB>value` lines until the first line that is not one. */
export function parseHeader(lines: Line[], warnings: SessionWarning[]): HeaderOutcome {
  const values = new Map<string, { value: string; line: number }>();
  const otherFields: Array<{ key: string; value: string }> = [];
  let consumed = 0;
  for (const l of lines) {
    const m = /^([A-Z#][A-Z0-9# ]*[A-Z0-9]):\t(.*)$/.exec(l.text);
    if (!m) break;
    const key = m[1] ?? '';
    const value = m[2] ?? '';
    if ((REQUIRED as readonly string[]).includes(key)) values.set(key, { value, line: l.line });
    else otherFields.push({ key, value });
    consumed++;
  }
  const lastLine = lines[consumed - 1]?.line ?? 1;
  for (const key of REQUIRED) {
    if (!values.has(key)) {
      const at = { line: consumed < lines.length ? (lines[consumed]?.line ?? lastLine) : lastLine, column: 1 };
      const where = consumed < lines.length ? 'the header ends' : 'the file ends';
      return { ok: false, message: `header field '${key}:' is missing (${where} here; is the file truncated?)`, at };
    }
  }
  const get = (key: (typeof REQUIRED)[number]): { value: string; line: number } =>
    values.get(key) ?? { value: '', line: lastLine };
  const number = (key: (typeof REQUIRED)[number], pattern: RegExp): number | null => {
    const { value, line } = get(key);
    if (pattern.test(value)) return Number(value);
    warnings.push({ line, column: key.length + 3, message: `${key}: '${value}' is not a number` });
    return null;
  };
  const header: SessionHeader = {
    sessionName: get('SESSION NAME').value,
    sampleRate: number('SAMPLE RATE', /^\d+(\.\d+)?$/),
    bitDepth: get('BIT DEPTH').value,
    startTimecode: get('SESSION START TIMECODE').value,
    timecodeFormat: get('TIMECODE FORMAT').value,
    audioTrackCount: number('# OF AUDIO TRACKS', /^\d+$/),
    audioClipCount: number('# OF AUDIO CLIPS', /^\d+$/),
    audioFileCount: number('# OF AUDIO FILES', /^\d+$/),
    otherFields,
  };
  return { ok: true, header, consumed };
}
