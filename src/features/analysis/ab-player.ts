/**
 * Level-matched A/B between the mix and its references. Every track is decoded into an
 * AudioBuffer and all of them play at once, started at the same audio time, each through its
 * own GainNode; only the selected one is heard. Switching never stops or starts a source: it
 * schedules an equal-power crossfade of FADE_SECONDS on the two gains at one audio time, so the
 * switch is gapless and lands at the same position (the sources keep running). Equal power
 * (cos/sin) because a reference is a different recording from the mix (uncorrelated), where it
 * keeps the loudness steady through the fade; 5 ms is short enough to read as instant and long
 * enough not to click.
 *
 * Each track loops its own region (the whole track unless one is set), so the A/B can compare
 * the same relative position of each or a chosen section of each.
 *
 * Memory: a decoded track is 4 bytes a sample; MAX_TRACK_BYTES and MAX_TOTAL_BYTES are checked
 * from the analysed duration before decoding, so a long file is refused, not half-loaded.
 *
 * Threading: main thread only; the audio thread runs the scheduled automation.
 */

/** About 11 minutes of 48 kHz stereo. */
export const MAX_TRACK_BYTES = 256 * 2 ** 20;
/** The mix and its references together. */
export const MAX_TOTAL_BYTES = 768 * 2 ** 20;
export const FADE_SECONDS = 0.005;
/** How far ahead a start or a switch is scheduled: enough for the message to reach the audio thread. */
const LOOKAHEAD_SECONDS = 0.02;
const CURVE_POINTS = 64;
const RESUME_TIMEOUT_MS = 5000;

export interface LoopRegion {
  start: number;
  end: number;
}

export interface AbTrackSpec {
  buffer: AudioBuffer;
  /** Level-match gain in dB (see core/dsp/compare.ts playbackGains). */
  gainDb: number;
  /** The section played in a loop; null: the whole track. */
  loop: LoopRegion | null;
}

export interface AbPlayer {
  readonly context: AudioContext;
  /** Decodes `file` at the context's rate; `expectedSeconds` (from its analysis) bounds the memory first. */
  decode(file: Blob, name: string, expectedSeconds: number, channels: number): Promise<AudioBuffer>;
  /** Starts every track at `from` seconds into its loop region, the `selected` one heard. */
  play(tracks: AbTrackSpec[], selected: number, from: number): Promise<void>;
  /** Crossfades to track `index`; returns the audio time the fade starts (null when not playing). */
  select(index: number): number | null;
  /** Changes a track's loop region while it plays. */
  setLoop(index: number, loop: LoopRegion | null): void;
  stop(): void;
  readonly playing: boolean;
  dispose(): Promise<void>;
}

export class DecodeLimitError extends Error {}

function openContext(sampleRate: number): AudioContext {
  try {
    return new AudioContext({ sampleRate, latencyHint: 'interactive' });
  } catch {
    return new AudioContext({ latencyHint: 'interactive' });
  }
}

const dbToGain = (db: number) => 10 ** (db / 20);

/** Equal power: the outgoing gain follows cos from its level to 0, the incoming sin from 0 to its level. */
function fadeCurve(level: number, direction: 'out' | 'in'): Float32Array {
  const c = new Float32Array(CURVE_POINTS);
  for (let i = 0; i < CURVE_POINTS; i++) {
    const phase = (i / (CURVE_POINTS - 1)) * (Math.PI / 2);
    c[i] = level * (direction === 'out' ? Math.cos(phase) : Math.sin(phase));
  }
  return c;
}

function applyLoop(source: AudioBufferSourceNode, loop: LoopRegion | null): void {
  const d = source.buffer?.duration ?? 0;
  const start = loop ? Math.max(0, Math.min(loop.start, d)) : 0;
  const end = loop ? Math.max(start, Math.min(loop.end, d)) : d;
  source.loop = true;
  if (end - start > 0.05) {
    source.loopStart = start;
    source.loopEnd = end;
  } else {
    source.loopStart = 0;
    source.loopEnd = d;
  }
}

export function makeAbPlayer(sampleRate: number): AbPlayer {
  const context = openContext(sampleRate);
  const output = context.createGain();
  output.connect(context.destination);
  let decodedBytes = 0;
  let voices: { source: AudioBufferSourceNode; gain: GainNode; level: number }[] = [];
  let selected = 0;
  /** When the last scheduled fade ends: a new one starts no earlier (automation curves may not overlap). */
  let fadeEnd = 0;

  const stop = () => {
    for (const v of voices) {
      try {
        v.source.stop();
      } catch {
        // never started
      }
      v.source.disconnect();
      v.gain.disconnect();
    }
    voices = [];
  };

  return {
    context,
    async decode(file, name, expectedSeconds, channels) {
      const bytes = Math.ceil(expectedSeconds * context.sampleRate) * Math.max(1, channels) * 4;
      const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
      if (bytes > MAX_TRACK_BYTES)
        throw new DecodeLimitError(
          `${name}: too long to A/B here (${mb(bytes)} decoded; the limit is ${mb(MAX_TRACK_BYTES)}, about 11 minutes of stereo)`,
        );
      if (decodedBytes + bytes > MAX_TOTAL_BYTES)
        throw new DecodeLimitError(`${name}: the tracks loaded for A/B would take over ${mb(MAX_TOTAL_BYTES)}`);
      decodedBytes += bytes;
      try {
        return await context.decodeAudioData(await file.arrayBuffer());
      } catch (error) {
        decodedBytes -= bytes;
        const why = error instanceof Error && error.message ? error.message : 'unsupported format';
        throw new Error(`${name}: this browser cannot decode it for playback (${why})`);
      }
    },
    async play(tracks, index, from) {
      stop();
      const resumed = context.resume();
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), RESUME_TIMEOUT_MS));
      if ((await Promise.race([resumed, timeout])) === 'timeout')
        throw new Error("A/B needs this device's audio output, which did not start");
      selected = Math.max(0, Math.min(index, tracks.length - 1));
      const at = context.currentTime + LOOKAHEAD_SECONDS;
      fadeEnd = at;
      voices = tracks.map((t, i) => {
        const source = context.createBufferSource();
        source.buffer = t.buffer;
        applyLoop(source, t.loop);
        const gain = context.createGain();
        const level = dbToGain(t.gainDb);
        gain.gain.setValueAtTime(i === selected ? level : 0, 0);
        source.connect(gain).connect(output);
        const span = source.loopEnd - source.loopStart;
        source.start(at, source.loopStart + (span > 0 ? Math.max(0, from) % span : 0));
        return { source, gain, level };
      });
    },
    select(index) {
      if (voices.length === 0 || index < 0 || index >= voices.length) return null;
      if (index === selected) return null;
      const at = Math.max(context.currentTime + LOOKAHEAD_SECONDS, fadeEnd + 1e-4);
      const out = voices[selected]!,
        into = voices[index]!;
      out.gain.gain.setValueCurveAtTime(fadeCurve(out.level, 'out'), at, FADE_SECONDS);
      into.gain.gain.setValueCurveAtTime(fadeCurve(into.level, 'in'), at, FADE_SECONDS);
      fadeEnd = at + FADE_SECONDS;
      selected = index;
      return at;
    },
    setLoop(index, loop) {
      const v = voices[index];
      if (v) applyLoop(v.source, loop);
    },
    stop,
    get playing() {
      return voices.length > 0;
    },
    async dispose() {
      stop();
      if (context.state !== 'closed') await context.close();
    },
  };
}
