/**
 * `mixdesk session <file.txt> [--json]`: reads a Pro Tools "Session Info as Text" export and
 * prints the parsed session as JSON (the `Session` object, nothing else, so it pipes into jq)
 * or as a short summary. Warnings, info and errors go to stderr as `file:line:column: …`; exit code 1
 * when the file cannot be read as a session, 2 for a usage mistake.
 */
import { readFile } from 'node:fs/promises';
import { parseSessionText, type Session, type SessionWarning } from '../core/session/index.ts';
import { nodeUtf8 } from './node-utf8.ts';

const USAGE = 'Usage: mixdesk session <file.txt> [--json]';

function summary(s: Session): string {
  const h = s.header;
  const flags = (t: Session['tracks'][number]): string => (t.state.words.length ? ` [${t.state.words.join(' ')}]` : '');
  const oneLine = (text: string): string => JSON.stringify(text).slice(1, -1);
  const lines = [
    `Session:   ${oneLine(h.sessionName)}`,
    `Format:    ${h.sampleRate ?? '?'} Hz, ${h.bitDepth ?? '? bit'}, ${h.timecodeFormat ?? 'timecode format not stated'}, start ${h.startTimecode ?? 'not stated'}${s.timeFormat ? `; times in ${s.timeFormat}` : ''}`,
    `Encoding:  ${s.encoding}${s.asciiOnly ? ' (ASCII only)' : ''}, ${s.lineEnding} line endings`,
    `Sections:  ${s.sections.join(', ') || '(none)'}`,
    `Files:     ${s.files.filter((f) => f.online).length} online, ${s.files.filter((f) => !f.online).length} offline; clips: ${s.clips.length}; plug-ins: ${s.plugins.length}`,
    `Tracks:    ${s.tracks.length}`,
    ...s.tracks.map(
      (t, i) =>
        `  ${String(i + 1).padStart(3)}  ${oneLine(t.name)}${flags(t)}${t.plugins.length ? ` — ${t.plugins.join(', ')}` : ''}`,
    ),
    `Markers:   ${s.markers.length}${s.markerRulers.length ? ` on rulers ${s.markerRulers.map(oneLine).join(', ')}` : ''}`,
    ...s.markers.map(
      (m) =>
        `  ${String(m.number).padStart(3)}  ${m.location}  ${oneLine(m.name)}${m.trackName !== null ? ` (${m.trackType}: ${oneLine(m.trackName)})` : ''}`,
    ),
  ];
  return lines.join('\n');
}

const describe = (file: string, w: SessionWarning, level = 'warning'): string =>
  `${file}:${w.line}:${w.column}: ${level}: ${w.message}`;

export async function session(args: string[]): Promise<number> {
  const json = args.includes('--json');
  const files = args.filter((a) => a !== '--json');
  const unknown = files.filter((a) => a.startsWith('-') && a !== '-');
  if (files.length !== 1 || unknown.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const file = files[0] ?? '';
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    console.error(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
  const result = parseSessionText(bytes, file, { decodeUtf8: nodeUtf8 });
  for (const w of result.info) console.error(describe(file, w, 'info'));
  for (const w of result.warnings) console.error(describe(file, w));
  if (!result.ok) {
    const { line, column, message } = result.error;
    console.error(`${file}:${line}:${column}: error: ${message}`);
    return 1;
  }
  console.log(json ? JSON.stringify(result.session, null, 2) : summary(result.session));
  return 0;
}
