/**
 * Generated Pro Tools "Session Info as Text" exports that look like real ones, in every layout
 * variant the importer supports, with what a correct parse must find in them. Used by the
 * session-text fuzz test (small, many) and by bench:xml (one 100,000-clip export).
 * Deterministic for a given random generator.
 */
import { encodeSingleByte, MAC_ROMAN } from '../../src/core/text/single-byte.ts';
import type { SessionTimeFormat } from '../../src/core/session/index.ts';

export interface SessionTextOptions {
  tracks: number;
  clipsPerTrack: number;
  markers: number;
  /** pt7: REGIONS, TIME CODE FORMAT, no start timecode, tracks with name and delay only. */
  version: 'pt7' | 'pt8' | 'modern';
  lineBreak: '\n' | '\r\n' | '\r';
  columns: 'tab' | 'space';
  encoding: 'utf-8' | 'mac-os-roman';
  timeFormat: SessionTimeFormat;
  /** Sub-frames, sub-seconds or ticks where the format has them. */
  subUnits: boolean;
  /** Session and track names to use instead of generated ones (a newer export of a known show). */
  sessionName?: string;
  names?: string[];
}

export interface ExpectedSession {
  sessionName: string;
  tracks: Array<{
    name: string;
    hidden: boolean;
    inactive: boolean;
    events: Array<{ clipName: string; startTime: string; endTime: string; duration: string }>;
  }>;
  clipCount: number;
  markers: Array<{ name: string; comments: string }>;
}

const WORDS = ['Kick', 'Snare', 'Vox', 'Lead', 'Gtr', 'Bass', 'Room', 'OH', 'Pad', 'Dialog', 'FX', 'Amb', 'Keys'];
/** Characters every Mac OS Roman export can hold besides ASCII. */
const ACCENTS = ['é', 'ü', 'ñ', 'ø', '–', '…', 'ß', 'Å'];

const pick = <T>(rnd: () => number, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const pad = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - [...s].length));
const lpad = (s: string, w: number): string => ' '.repeat(Math.max(0, w - [...s].length)) + s;
const two = (n: number): string => String(n).padStart(2, '0');

/** A time value in the given format for a position in frames (30 per second) from the start. */
function formatTime(frames: number, f: SessionTimeFormat, sub: boolean, duration: boolean, rnd: () => number): string {
  const s = Math.floor(frames / 30);
  const ff = frames % 30;
  const subUnits = two(Math.floor(rnd() * 100));
  switch (f) {
    case 'timecode': {
      const h = duration ? 0 : 1 + Math.floor(s / 3600);
      const sep = rnd() < 0.5 ? ':' : ';';
      return `${two(h)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}${sep}${two(ff)}${sub ? `.${subUnits}` : ''}`;
    }
    case 'feet+frames': {
      const feet = Math.floor(frames / 16) + (duration ? 0 : 5400);
      return `${feet}+${two(frames % 16)}${sub ? `.${subUnits}` : ''}`;
    }
    case 'min:secs':
      return `${Math.floor(s / 60)}:${two(s % 60)}${sub ? `.${String(Math.floor(rnd() * 1000)).padStart(3, '0')}` : ''}`;
    case 'samples':
      return String(frames * 1600);
    case 'bars|beats': {
      const beats = Math.floor(frames / 15);
      const bar = Math.floor(beats / 4) + (duration ? 0 : 1);
      const beat = (beats % 4) + (duration ? 0 : 1);
      return sub ? `${bar}| ${beat}| ${String(Math.floor(rnd() * 960)).padStart(3, '0')}` : `${bar}|${beat}`;
    }
  }
}

const title = (t: string): string =>
  t
    .split(' ')
    .map((w) => [...w].join(' '))
    .join('  ');

/** One export as bytes, and what a correct parse finds in it. */
export function generateSessionText(
  rnd: () => number,
  o: SessionTextOptions,
): { bytes: Uint8Array; text: string; expected: ExpectedSession } {
  const accent = (): string => (rnd() < 0.2 ? pick(rnd, ACCENTS) : '');
  const name = (i: number): string => `${pick(rnd, WORDS)}${accent()} ${i}`;
  const space = o.columns === 'space';
  // Space-aligned tables: cells padded, one space between; TAB layout: TAB between.
  const row = (cells: string[]): string => cells.join(space ? ' ' : '\t');
  const head = (key: string, value: string): string => (space ? pad(`${key}:`, 24) + value : `${key}:\t${value}`);
  const sessionName = o.sessionName ?? `Show ${Math.floor(rnd() * 1000)}${accent()} Mix`;
  const regions = o.version === 'pt7' || o.version === 'pt8';
  const clipWord = regions ? 'REGION' : 'CLIP';
  const tracks: ExpectedSession['tracks'] = [];
  const clipNames: string[] = [];
  for (let t = 0; t < o.tracks; t++) {
    const hidden = o.version !== 'pt7' && rnd() < 0.1;
    const inactive = o.version !== 'pt7' && rnd() < 0.1;
    const events: ExpectedSession['tracks'][number]['events'] = [];
    let at = Math.floor(rnd() * 300);
    for (let e = 0; e < o.clipsPerTrack; e++) {
      const length = 30 + Math.floor(rnd() * 900);
      const clipName = `${pick(rnd, WORDS)}${accent()}_${t + 1}-${e + 1}`;
      clipNames.push(clipName);
      events.push({
        clipName,
        startTime: formatTime(at, o.timeFormat, o.subUnits, false, rnd),
        endTime: formatTime(at + length, o.timeFormat, o.subUnits, false, rnd),
        duration: formatTime(length, o.timeFormat, o.subUnits, true, rnd),
      });
      at += length + Math.floor(rnd() * 60);
    }
    const generated = name(t + 1); // drawn even when names are given, so seeds keep their output
    tracks.push({ name: o.names?.[t] ?? generated, hidden, inactive, events });
  }
  const markers = Array.from({ length: o.markers }, (_, i) => ({
    name: `Cue ${i + 1}${accent()}`,
    comments: rnd() < 0.5 ? 'take' : '',
  }));

  const out: string[] = [
    head('SESSION NAME', sessionName),
    head('SAMPLE RATE', '48000.000000'),
    head('BIT DEPTH', '24-bit'),
  ];
  if (o.version === 'modern') out.push(head('SESSION START TIMECODE', '01:00:00:00'));
  out.push(
    head(regions ? 'TIME CODE FORMAT' : 'TIMECODE FORMAT', '29.97 Drop Frame'),
    head('# OF AUDIO TRACKS', String(o.tracks)),
    head(`# OF AUDIO ${clipWord}S`, String(clipNames.length)),
    head('# OF AUDIO FILES', '0'),
    '',
    '',
    title(`ONLINE ${clipWord}S IN SESSION`),
    row([pad(`${clipWord} NAME`, 23), 'Source File']),
  );
  for (const c of clipNames) out.push(row([pad(c, 23), `${c}.wav`]));
  out.push('', '', title('TRACK LISTING'));
  const widths = [8, 8, 30, 17, 17, 17];
  const columns = ['CHANNEL', 'EVENT', `${clipWord} NAME`, 'START TIME', 'END TIME', 'DURATION'];
  if (o.version !== 'pt7') columns.push('STATE');
  for (const t of tracks) {
    out.push(head('TRACK NAME', t.name));
    if (o.version !== 'pt7') out.push(head('COMMENTS', rnd() < 0.3 ? 'from the dub stage' : ''));
    out.push(head('USER DELAY', '0 Samples'));
    if (o.version !== 'pt7') {
      const words = [t.inactive ? 'Inactive' : '', t.hidden ? 'Hidden' : ''].filter(Boolean);
      out.push(`STATE: ${words.map((w) => `${w} `).join('')}`, `PLUG-INS: ${space ? '' : '\t'}`);
    }
    out.push(row(columns.map((c, i) => (i < columns.length - 1 ? pad(c, widths[i] ?? 8) : c))));
    t.events.forEach((e, i) => {
      const cells = [
        pad('1', 8),
        pad(String(i + 1), 8),
        pad(e.clipName, 30),
        lpad(e.startTime, 17),
        lpad(e.endTime, 17),
      ];
      cells.push(
        o.version === 'pt7' ? lpad(e.duration, 17) : lpad(e.duration, 17),
        ...(o.version === 'pt7' ? [] : ['Unmuted']),
      );
      out.push(row(cells));
    });
    out.push('', '');
  }
  if (o.markers > 0) {
    out.push(
      title('MARKERS LISTING'),
      row([pad('#', 4), pad('LOCATION', 17), pad('TIME REFERENCE', 18), pad('UNITS', 9), pad('NAME', 33), 'COMMENTS']),
    );
    markers.forEach((m, i) =>
      out.push(
        row([
          pad(String(i + 1), 4),
          pad(formatTime(i * 300, o.timeFormat, o.subUnits, false, rnd), 17),
          pad(String(i * 480000), 18),
          pad('Samples', 9),
          pad(m.name, 33),
          m.comments,
        ]),
      ),
    );
  }
  const text = out.join(o.lineBreak) + o.lineBreak;
  const bytes = o.encoding === 'utf-8' ? new TextEncoder().encode(text) : encodeSingleByte(text, MAC_ROMAN);
  return { bytes, text, expected: { sessionName, tracks, clipCount: clipNames.length, markers } };
}

/** Options picked at random over every variant, sized small (fuzz) unless told. */
export function randomSessionOptions(rnd: () => number, size: Partial<SessionTextOptions> = {}): SessionTextOptions {
  return {
    tracks: 1 + Math.floor(rnd() * 12),
    clipsPerTrack: Math.floor(rnd() * 6),
    markers: Math.floor(rnd() * 4),
    version: pick(rnd, ['pt7', 'pt8', 'modern'] as const),
    lineBreak: pick(rnd, ['\n', '\r\n', '\r'] as const),
    columns: pick(rnd, ['tab', 'space'] as const),
    encoding: pick(rnd, ['utf-8', 'mac-os-roman'] as const),
    timeFormat: pick(rnd, ['timecode', 'feet+frames', 'min:secs', 'samples', 'bars|beats'] as const),
    subUnits: rnd() < 0.5,
    ...size,
  };
}
