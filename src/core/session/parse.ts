import { decodeSessionPieces, type Utf8Decoder } from './encoding.ts';
import { parseHeader } from './header.ts';
import { indexLines, type TextLines } from './lines.ts';
import { parseClips, parseFiles, parsePlugins } from './listings.ts';
import { parseMarkers } from './markers.ts';
import { isKnownSection, splitSections, type KnownSection } from './sections.ts';
import { isTimeFormat, timeFormatOf, type SessionTimeFormat } from './time.ts';
import { parseTracks } from './tracks.ts';
import type { Session, SessionParseResult, SessionWarning, TextPosition } from './types.ts';

/** Larger than any plausible session text; refusing early keeps memory bounded. */
export const MAX_SESSION_TEXT_BYTES = 50 * 1024 * 1024;
/** A 100,000-clip export has about 250,000 lines; past this many, lines alone cost too much memory. */
export const MAX_SESSION_TEXT_LINES = 2_000_000;
/** Warnings (and info entries) kept per file; a garbled file could otherwise make one per line. */
export const MAX_SESSION_WARNINGS = 1000;

/** How to parse; every option has a default that works in every runtime. */
export interface ParseSessionOptions {
  /** The UTF-8 codec (default: the runtime's TextDecoder); Node passes its own, faster one. */
  decodeUtf8?: Utf8Decoder;
}

/** What a section reader adds to: the session, and the problems and notes it finds. */
interface ReadContext {
  session: Session;
  warnings: SessionWarning[];
  info: SessionWarning[];
}
/** Reads the section on lines `from` to `to` (exclusive) of `lines`. */
type SectionReader = (c: ReadContext, lines: TextLines, from: number, to: number) => void;

const files =
  (online: boolean): SectionReader =>
  (c, l, from, to) => {
    c.session.files = c.session.files.concat(parseFiles(l, from, to, online, c.warnings));
  };
const clips =
  (online: boolean): SectionReader =>
  (c, l, from, to) => {
    c.session.clips = c.session.clips.concat(parseClips(l, from, to, online, c.warnings));
  };

/** What each known section adds to the session, by its title with the letter spacing removed. */
const SECTION_READERS: Readonly<Record<KnownSection, SectionReader>> = {
  'FILES IN SESSION': files(true),
  'ONLINE FILES IN SESSION': files(true),
  'OFFLINE FILES IN SESSION': files(false),
  'CLIPS IN SESSION': clips(true),
  'ONLINE CLIPS IN SESSION': clips(true),
  'OFFLINE CLIPS IN SESSION': clips(false),
  'REGIONS IN SESSION': clips(true),
  'ONLINE REGIONS IN SESSION': clips(true),
  'OFFLINE REGIONS IN SESSION': clips(false),
  'PLUG-INS LISTING': (c, l, from, to) => {
    c.session.plugins = c.session.plugins.concat(parsePlugins(l, from, to, c.warnings));
  },
  'TRACK LISTING': (c, l, from, to) => {
    c.session.tracks = c.session.tracks.concat(parseTracks(l, from, to, c.warnings, c.info));
  },
  'MARKERS LISTING': (c, l, from, to) => {
    c.session.markers = c.session.markers.concat(parseMarkers(l.lines(from, to), c.warnings));
  },
};

/** Control bytes no text export contains; a few may be garbling, many mean a binary file. */
function binaryAt(bytes: Uint8Array): number {
  let controls = 0;
  const n = Math.min(bytes.length, 65536);
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0) return i;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && ++controls > 8) return i;
  }
  return -1;
}

/** 1-based line and column of a byte offset, counting LF, CRLF and CR as breaks. */
function positionOf(bytes: Uint8Array, offset: number): TextPosition {
  let line = 1,
    lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 10 || (b === 13 && bytes[i + 1] !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Lines of a text counted as its breaks (LF, CRLF and CR each once) plus one, for a message. */
function countLines(pieces: readonly string[]): number {
  let n = 1;
  for (const text of pieces) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}

/** Keeps the first `MAX_SESSION_WARNINGS` entries and says how many more there were. */
function capped(list: SessionWarning[]): SessionWarning[] {
  if (list.length <= MAX_SESSION_WARNINGS) return list;
  const last = list[MAX_SESSION_WARNINGS - 1] ?? { line: 1, column: 1 };
  return [
    ...list.slice(0, MAX_SESSION_WARNINGS),
    { line: last.line, column: 1, message: `${list.length - MAX_SESSION_WARNINGS} more not shown` },
  ];
}

/** The first 40 characters of a line, for a message that says what was found. */
const excerpt = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Parses a Pro Tools "Session Info as Text" export (File > Export > Session Info as Text), as
 * written by every version that has the command: Pro Tools 7/8 (REGIONS, "TIME CODE FORMAT",
 * no start timecode, CR line breaks) to 2023.12+ (marker track columns). Detects UTF-8 versus
 * Mac OS Roman from the bytes and accepts LF, CRLF and CR, TAB-separated or space-aligned
 * columns, and every time format (see time.ts). Problems that leave the session usable are
 * warnings; what an older version simply does not write is `info`. Only a file that is not a
 * session text at all (empty, binary, no SESSION NAME line) or that is over the size and line
 * limits is refused, with line and column and no session, so nothing is half-imported. It
 * never throws.
 */
export function parseSessionText(
  bytes: Uint8Array,
  fileName: string,
  options: ParseSessionOptions = {},
): SessionParseResult {
  const warnings: SessionWarning[] = [];
  const info: SessionWarning[] = [];
  const fail = (at: TextPosition, message: string): SessionParseResult => ({
    ok: false,
    error: { file: fileName, line: at.line, column: at.column, message },
    warnings: capped(warnings),
    info: capped(info),
  });
  if (bytes.length === 0) return fail({ line: 1, column: 1 }, 'the file is empty, not a Pro Tools session text');
  if (bytes.length > MAX_SESSION_TEXT_BYTES)
    return fail(
      { line: 1, column: 1 },
      `the file is ${bytes.length} bytes, over the ${MAX_SESSION_TEXT_BYTES}-byte limit for a session text`,
    );
  const binary = binaryAt(bytes);
  if (binary >= 0)
    return fail(
      positionOf(bytes, binary),
      `binary data (byte 0x${(bytes[binary] ?? 0).toString(16).padStart(2, '0')}) found: this is not a Pro Tools session text`,
    );
  let stage: TextPosition = { line: 1, column: 1 };
  try {
    // Decoded once, in pieces cut at line breaks; every reader below scans them by offset.
    const decoded = decodeSessionPieces(bytes, options.decodeUtf8);
    // As many breaks as the limit makes one line more than it (the one after the last break).
    const { lines, lineEnding, endsWithBreak, overLimit } = indexLines(decoded.pieces, MAX_SESSION_TEXT_LINES);
    if (overLimit) {
      const lineCount = countLines(decoded.pieces);
      return fail(
        { line: MAX_SESSION_TEXT_LINES + 1, column: 1 },
        `the file has ${lineCount} lines, over the ${MAX_SESSION_TEXT_LINES}-line limit for a session text`,
      );
    }
    // Blank lines before the header (added by hand or by a mail client) are not content.
    let top = 0;
    while (top < lines.count && lines.isBlank(top)) top++;
    const firstLine = top < lines.count ? lines.line(top) : undefined;
    if (!firstLine || !firstLine.text.startsWith('SESSION NAME:')) {
      const at = { line: firstLine?.line ?? 1, column: 1 };
      return fail(
        at,
        `not a Pro Tools 'Session Info as Text' export: expected line ${at.line} to start with 'SESSION NAME:', found ${excerpt(firstLine?.text ?? '')}`,
      );
    }
    const head = parseHeader(lines, top, warnings, info);
    if (!head.ok) return fail(head.at, head.message);
    const session: Session = {
      fileName,
      encoding: decoded.encoding,
      asciiOnly: decoded.asciiOnly,
      lineEnding,
      header: head.header,
      timeFormat: null,
      sections: [],
      files: [],
      clips: [],
      plugins: [],
      tracks: [],
      markers: [],
      markerRulers: [],
      unknownSections: [],
    };
    const context: ReadContext = { session, warnings, info };
    const { sections, stray } = splitSections(lines, top + head.consumed, lines.count);
    for (const l of stray)
      warnings.push({ line: l.line, column: 1, message: 'unexpected line between the header and the first section' });
    for (const section of sections) {
      stage = { line: section.line, column: 1 };
      session.sections.push(section.title);
      if (isKnownSection(section.title)) SECTION_READERS[section.title](context, lines, section.from, section.to);
      else {
        warnings.push({
          line: section.line,
          column: 1,
          message: `unknown section '${section.title}' kept as raw lines`,
        });
        session.unknownSections.push({
          title: section.title,
          line: section.line,
          lines: lines.lines(section.from, section.to).map((l) => l.text),
        });
      }
    }
    session.markerRulers = [
      ...new Set(session.markers.filter((m) => m.trackType === 'Ruler').map((m) => m.trackName ?? '')),
    ];
    session.timeFormat = readTimeFormat(session, warnings);
    checkCounts(session, sections, warnings);
    const last = lines.line(lines.count - 1);
    if (!endsWithBreak) {
      warnings.push({
        line: last.line,
        column: last.text.length + 1,
        message:
          'the file ends in the middle of a line (Pro Tools ends every export with a line break): the last line may be cut',
      });
    }
    return { ok: true, session, warnings: capped(warnings), info: capped(info) };
  } catch (e) {
    return fail(stage, `could not read the session text near here: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * The time format of the event list (the export's main time scale), from its first start
 * time; every start, end and duration that fits no format is a warning at its line.
 */
function readTimeFormat(session: Session, warnings: SessionWarning[]): SessionTimeFormat | null {
  let format: SessionTimeFormat | null = null;
  const check = (value: string, line: number): void => {
    if (value === '') return;
    // Nearly every value is in the format already found: one regex test instead of up to five.
    if (format !== null && isTimeFormat(value, format)) return;
    const f = timeFormatOf(value);
    if (f === null) warnings.push({ line, column: 1, message: `event time '${value}' is in no Pro Tools time format` });
    else format ??= f;
  };
  for (const track of session.tracks) {
    for (const e of track.events) {
      check(e.startTime, e.line);
      check(e.endTime, e.line);
      check(e.duration, e.line);
    }
  }
  return format;
}

/** Compares the header's counts with what the listings hold; a shortfall hints at truncation. */
function checkCounts(
  session: Session,
  sections: Array<{ title: string; line: number }>,
  warnings: SessionWarning[],
): void {
  const lineOf = (pred: (t: string) => boolean): number | null => sections.find((s) => pred(s.title))?.line ?? null;
  const check = (expected: number | null, actual: number, what: string, line: number | null): void => {
    if (expected !== null && line !== null && expected !== actual) {
      warnings.push({
        line,
        column: 1,
        message: `the header announces ${expected} ${what} but the listing has ${actual}`,
      });
    }
  };
  const h = session.header;
  check(
    h.audioFileCount,
    session.files.length,
    'audio files',
    lineOf((t) => t.includes('FILES IN SESSION')),
  );
  check(
    h.audioClipCount,
    session.clips.length,
    'audio clips',
    lineOf((t) => t.includes('CLIPS IN SESSION') || t.includes('REGIONS IN SESSION')),
  );
}
