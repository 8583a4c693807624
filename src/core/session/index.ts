/** Pro Tools "Session Info as Text" import: parse an export, and make a strip layout from it. */
export { parseSessionText, MAX_SESSION_TEXT_BYTES, MAX_SESSION_TEXT_LINES, MAX_SESSION_WARNINGS } from './parse.ts';
export type { ParseSessionOptions } from './parse.ts';
export { timeFormatOf, isDropFrame } from './time.ts';
export type { SessionTimeFormat } from './time.ts';
export { layoutFromSession, layoutsFromSession, sessionTracksFor, MAX_STRIPS } from './layout.ts';
export { sessionDocumentName, layoutExportFileName } from './naming.ts';
export { inputList } from './input-list.ts';
export type { InputListRow } from './input-list.ts';
export type { SessionLayout, SessionLayoutOptions } from './layout.ts';
export { decodeSessionBytes } from './encoding.ts';
export type { SessionTextEncoding, DecodedSessionText, Utf8Decoder } from './encoding.ts';
export { decodeMacRoman } from '../text/single-byte.ts';
export type {
  Session,
  SessionParseResult,
  SessionParseError,
  SessionWarning,
  SessionHeader,
  SessionFile,
  SessionClip,
  SessionPlugin,
  SessionTrack,
  TrackState,
  TrackEvent,
  SessionMarker,
  UnknownSection,
  TextPosition,
} from './types.ts';
export {
  diffLayoutAgainstSession,
  trackNameSimilarity,
  normalizeTrackName,
  MAX_DIFF_TRACKS,
  RENAME_SIMILARITY,
  RENAME_SIMILARITY_IN_PLACE,
} from './session-diff.ts';
export type { DiffLayoutTrack, SessionDiff } from './session-diff.ts';
export { applySessionDiff, layoutTracksForDiff, sessionNamesForLayout } from './apply-session-diff.ts';
export type { AppliedSessionDiff } from './apply-session-diff.ts';
