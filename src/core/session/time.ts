/**
 * The time formats Pro Tools writes in event lists and marker locations, in the main time
 * scale the export was made with (Export Session Info as Text > Time Format):
 *
 * | format      | without sub-units | with sub-units     |
 * |-------------|-------------------|--------------------|
 * | timecode    | `01:00:00:00`     | `01:00:00:00.45`   |  drop-frame: `;` before frames
 * | feet+frames | `5400+00`         | `5400+00.45`       |
 * | min:secs    | `1:05`            | `1:05.250`         |  hours appear as `1:00:05.250`
 * | samples     | `172800000`       | —                  |
 * | bars|beats  | `1|1`             | `1|1|000`          |  ticks; spaces may pad each part
 *
 * Values are kept as written in the session; this module only says which format a value is
 * in, so that the importer can name the session's time format and point at a value that fits
 * none (a cut or garbled line).
 */
export type SessionTimeFormat = 'timecode' | 'feet+frames' | 'min:secs' | 'samples' | 'bars|beats';

const PATTERNS: ReadonlyArray<readonly [SessionTimeFormat, RegExp]> = [
  ['timecode', /^-?\d{1,3}:\d{2}:\d{2}[:;]\d{2,3}(\.\d{1,2})?$/],
  ['feet+frames', /^-?\d+\+\d{1,2}(\.\d{1,2})?$/],
  // A duration under a minute may be written as seconds alone: `20.000`.
  ['min:secs', /^-?((\d+:)?\d+:\d{2}(\.\d{1,3})?|\d+\.\d{1,3})$/],
  ['samples', /^-?\d+$/],
  ['bars|beats', /^-?\d+\| *\d+(\| *\d+)?$/],
];

/** The format of one time value (space padding already trimmed), or null when it fits none. */
export function timeFormatOf(value: string): SessionTimeFormat | null {
  for (const [format, pattern] of PATTERNS) if (pattern.test(value)) return format;
  return null;
}

const PATTERN_OF = new Map(PATTERNS);

/** True when `value` is in `format` (a quick check against the format already found). */
export const isTimeFormat = (value: string, format: SessionTimeFormat): boolean =>
  PATTERN_OF.get(format)?.test(value) ?? false;

/** True when a timecode uses the drop-frame separator (`;` before the frames). */
export const isDropFrame = (value: string): boolean => /;\d{2,3}(\.\d+)?$/.test(value);
