import { decodeSessionBytes } from './encoding.ts';
import { parseHeader } from './header.ts';
import { splitLines, type Line } from './lines.ts';
import { parseClips, parseFiles, parsePlugins } from './listings.ts';
import { parseMarkers } from './markers.ts';
import { isKnownSection, splitSections, type KnownSection } from './sections.ts';
import { parseTracks } from './tracks.ts';
import type { Session, SessionParseResult, SessionWarning, TextPosition } from './types.ts';

/** Larger than any plausible session text; refusing early keeps memory bounded. */
export const MAX_SESSION_TEXT_BYTES = 50 * 1024 * 1024;

type SectionReader = (session: Session, lines: Line[], warnings: SessionWarning[]) => void;

/** What each known section adds to the session, by its title with the letter spacing removed. */
const SECTION_READERS: Readonly<Record<KnownSection, SectionReader>> = {
  'FILES IN SESSION': (s, l, w) => {
    s.files = s.files.concat(parseFiles(l, true, w));
  },
  'ONLINE FILES IN SESSION': (s, l, w) => {
    s.files = s.files.concat(parseFiles(l, true, w));
  },
  'OFFLINE FILES IN SESSION': (s, l, w) => {
    s.files = s.files.concat(parseFiles(l, false, w));
  },
  'ONLINE CLIPS IN SESSION': (s, l, w) => {
    s.clips = s.clips.concat(parseClips(l, true, w));
  },
  'OFFLINE CLIPS IN SESSION': (s, l, w) => {
    s.clips = s.clips.concat(parseClips(l, false, w));
  },
  'ONLINE REGIONS IN SESSION': (s, l, w) => {
    s.clips = s.clips.concat(parseClips(l, true, w));
  },
  'OFFLINE REGIONS IN SESSION': (s, l, w) => {
    s.clips = s.clips.concat(parseClips(l, false, w));
  },
  'PLUG-INS LISTING': (s, l, w) => {
    s.plugins = s.plugins.concat(parsePlugins(l, w));
  },
  'TRACK LISTING': (s, l, w) => {
    s.tracks = s.tracks.concat(parseTracks(l, w));
  },
  'MARKERS LISTING': (s, l, w) => {
    s.markers = s.markers.concat(parseMarkers(l, w));
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

/**
 * Parses a Pro Tools "Session Info as Text" export (File > Export > Session Info as Text).
 * Detects UTF-8 versus Mac OS Roman from the bytes and accepts LF, CRLF and CR. Problems that
 * leave the session usable become warnings; a file that is not a session text (binary, wrong
 * format) or is cut short (missing header fields, no final line break) gives an error with
 * line and column and no session, so nothing is half-imported. It never throws.
 */
export function parseSessionText(bytes: Uint8Array, fileName: string): SessionParseResult {
  const warnings: SessionWarning[] = [];
  const fail = (at: TextPosition, message: string): SessionParseResult => ({
    ok: false,
    error: { file: fileName, line: at.line, column: at.column, message },
    warnings,
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
    const decoded = decodeSessionBytes(bytes);
    const { lines, lineEnding, endsWithBreak } = splitLines(decoded.text);
    if (!(lines[0]?.text ?? '').startsWith('SESSION NAME:')) {
      return fail(
        { line: 1, column: 1 },
        "not a Pro Tools 'Session Info as Text' export: line 1 should start with 'SESSION NAME:'",
      );
    }
    const head = parseHeader(lines, warnings);
    if (!head.ok) return fail(head.at, head.message);
    const session: Session = {
      fileName,
      encoding: decoded.encoding,
      asciiOnly: decoded.asciiOnly,
      lineEnding,
      header: head.header,
      sections: [],
      files: [],
      clips: [],
      plugins: [],
      tracks: [],
      markers: [],
      markerRulers: [],
      unknownSections: [],
    };
    const { sections, stray } = splitSections(lines.slice(head.consumed));
    for (const l of stray)
      warnings.push({ line: l.line, column: 1, message: 'unexpected line between the header and the first section' });
    for (const section of sections) {
      stage = { line: section.line, column: 1 };
      session.sections.push(section.title);
      if (isKnownSection(section.title)) SECTION_READERS[section.title](session, section.lines, warnings);
      else {
        warnings.push({
          line: section.line,
          column: 1,
          message: `unknown section '${section.title}' kept as raw lines`,
        });
        session.unknownSections.push({
          title: section.title,
          line: section.line,
          lines: section.lines.map((l) => l.text),
        });
      }
    }
    session.markerRulers = [
      ...new Set(session.markers.filter((m) => m.trackType === 'Ruler').map((m) => m.trackName ?? '')),
    ];
    checkCounts(session, sections, warnings);
    const last = lines[lines.length - 1];
    if (!endsWithBreak && last) {
      return fail(
        { line: last.line, column: last.text.length + 1 },
        'the file ends in the middle of a line: it looks truncated (Pro Tools ends every export with a line break); nothing imported',
      );
    }
    return { ok: true, session, warnings };
  } catch (e) {
    return fail(stage, `could not read the session text near here: ${e instanceof Error ? e.message : String(e)}`);
  }
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
