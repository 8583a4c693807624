import type { SessionTextEncoding } from './encoding.ts';
import type { SessionTimeFormat } from './time.ts';

/** Where something was found in the text file: 1-based line and column. */
export interface TextPosition {
  line: number;
  column: number;
}

/** A problem that did not stop the import; the line says where to look. */
export interface SessionWarning extends TextPosition {
  message: string;
}

/** A problem that stopped the import: the file is not a usable session text. */
export interface SessionParseError extends TextPosition {
  file: string;
  message: string;
}

/**
 * The block of `KEY:<TAB>value` lines at the top of the export. Every field but the session
 * name is null when the file has no line for it (older versions leave some out; an `info`
 * entry says which) or, for numbers, when the value could not be read (a warning says why).
 */
export interface SessionHeader {
  sessionName: string;
  /** Hz, e.g. 48000. */
  sampleRate: number | null;
  /** As written, e.g. "24-bit". */
  bitDepth: string | null;
  /** As written, e.g. "00:59:55:00" or "01:00:00:00.00" (with sub-frames); none before Pro Tools 10. */
  startTimecode: string | null;
  /** As written, e.g. "23.976 Frame", "29.97 Drop Frame" (key "TIME CODE FORMAT" in older versions). */
  timecodeFormat: string | null;
  audioTrackCount: number | null;
  /** "# OF AUDIO CLIPS", or "# OF AUDIO REGIONS" in older versions. */
  audioClipCount: number | null;
  audioFileCount: number | null;
  /** Header lines Mixdesk does not know, kept in file order. */
  otherFields: Array<{ key: string; value: string }>;
}

/** One audio file of the FILES IN SESSION listings. */
export interface SessionFile {
  name: string;
  /** Mac-style colon path of the folder, e.g. "Macintosh HD:Users:…:Audio Files:". */
  location: string;
  online: boolean;
}

/** One clip of the CLIPS IN SESSION listings. */
export interface SessionClip {
  name: string;
  sourceFile: string;
  /** Channel of a multichannel file as written, e.g. "[1]"; null for mono clips. */
  channel: string | null;
  online: boolean;
}

/** One row of the PLUG-INS LISTING. */
export interface SessionPlugin {
  /** Pro Tools writes the manufacturer once per group; later rows inherit it here. */
  manufacturer: string;
  name: string;
  version: string;
  format: string;
  stems: string;
  /** As written, e.g. "2 active". */
  instances: string;
}

/** Track state flags from the `STATE:` line. */
export interface TrackState {
  inactive: boolean;
  hidden: boolean;
  muted: boolean;
  solo: boolean;
  soloSafe: boolean;
  /** Every word of the STATE line, including ones Mixdesk does not know. */
  words: string[];
}

/** One clip placed on a track (a row under the CHANNEL/EVENT header). */
export interface TrackEvent {
  channel: number;
  event: number;
  clipName: string;
  startTime: string;
  endTime: string;
  duration: string;
  /** "Muted" / "Unmuted" as written; empty when the export has no STATE column. */
  state: string;
  line: number;
}

/** One track of the TRACK LISTING. */
export interface SessionTrack {
  name: string;
  comments: string;
  /** As written, e.g. "0 Samples". */
  userDelay: string;
  /** The delay in samples when the value reads "<n> Samples", otherwise null. */
  userDelaySamples: number | null;
  state: TrackState;
  plugins: string[];
  events: TrackEvent[];
  /** Line of the TRACK NAME line. */
  line: number;
}

/** One row of the MARKERS LISTING, with names and comments rebuilt across TABs and LFs. */
export interface SessionMarker {
  number: number;
  location: string;
  timeReference: string;
  /** "Samples" or "Ticks" as written. */
  units: string;
  name: string;
  /** Pro Tools 2023.12+: the marker ruler or track the marker lives on; null before. */
  trackName: string | null;
  /** Pro Tools 2023.12+: "Ruler" or "Track"; null before. */
  trackType: string | null;
  comments: string;
  line: number;
}

/** A section Mixdesk does not know, kept as raw lines so nothing is lost. */
export interface UnknownSection {
  title: string;
  line: number;
  lines: string[];
}

/** A parsed Pro Tools "Session Info as Text" export. */
export interface Session {
  fileName: string;
  encoding: SessionTextEncoding;
  asciiOnly: boolean;
  lineEnding: 'LF' | 'CRLF' | 'CR' | 'mixed' | 'none';
  header: SessionHeader;
  /** Time format of the event list, from its first time value; null when there are no events. */
  timeFormat: SessionTimeFormat | null;
  /** Titles of the sections present, in file order (export options decide which appear). */
  sections: string[];
  files: SessionFile[];
  clips: SessionClip[];
  plugins: SessionPlugin[];
  tracks: SessionTrack[];
  markers: SessionMarker[];
  /** Distinct marker ruler names (TRACK TYPE "Ruler"), in order of first use. */
  markerRulers: string[];
  unknownSections: UnknownSection[];
}

/** Outcome of `parseSessionText`: never thrown, always returned. */
/**
 * Outcome of `parseSessionText`: never thrown, always returned. `warnings` are problems in the
 * file; `info` says what this export does not have because its version does not write it.
 */
export type SessionParseResult =
  | { ok: true; session: Session; warnings: SessionWarning[]; info: SessionWarning[] }
  | { ok: false; error: SessionParseError; warnings: SessionWarning[]; info: SessionWarning[] };
