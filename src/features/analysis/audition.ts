/**
 * Audition of the analysed file: play, pause, seek and loop a region, with the live meter in
 * the signal path. An <audio> element streams the file (nothing decoded in JS) into the meter
 * worklet (src/platform/analysis/live-meter.ts) and on to the speakers. The context and graph
 * are built on the first play and kept, so seeking or pausing never rebuilds them.
 *
 * Threading: everything here runs on the main thread; the worklet posts readings at most ~60
 * times a second through `onReading`.
 */
import { makeMeterNode, reportJoins, type MeterReading } from '../../platform/analysis/live-meter.ts';

export interface Audition {
  /** Starts (or resumes) playback, from `from` seconds when given. */
  play(from?: number): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  /** Loops [start, end) while playing; null turns looping off. */
  setLoop(region: { start: number; end: number } | null): void;
  readonly playing: boolean;
  /** The playback position in seconds. */
  currentTime(): number;
  /** Called when playback starts, pauses or ends. */
  onStateChange(listener: () => void): () => void;
  dispose(): Promise<void>;
}

function openContext(sampleRate: number): AudioContext {
  try {
    return new AudioContext({ sampleRate, latencyHint: 'playback' });
  } catch {
    return new AudioContext({ latencyHint: 'playback' });
  }
}

export function makeAudition(
  file: Blob,
  name: string,
  sampleRate: number,
  channels: number,
  onReading: (r: MeterReading) => void,
): Audition {
  const url = URL.createObjectURL(file);
  const audio = new Audio();
  audio.preload = 'auto';
  audio.src = url;
  let context: AudioContext | null = null;
  let graph: Promise<void> | null = null;
  let loop: { start: number; end: number } | null = null;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  audio.addEventListener('play', changed);
  audio.addEventListener('pause', changed);
  audio.addEventListener('ended', changed);
  // Loop check on every frame while playing (timeupdate fires only ~4 times a second).
  let frame = 0;
  const tick = () => {
    if (loop && audio.currentTime >= loop.end) audio.currentTime = loop.start;
    if (!audio.paused) frame = requestAnimationFrame(tick);
  };
  audio.addEventListener('play', () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(tick);
  });

  const build = (): Promise<void> => {
    graph ??= (async () => {
      if (typeof AudioContext !== 'function' || typeof AudioWorkletNode !== 'function')
        throw new Error('this browser cannot play audio through a live meter (no AudioWorklet)');
      context = openContext(sampleRate);
      const node = await makeMeterNode(context, Math.min(8, channels), onReading);
      context.createMediaElementSource(audio).connect(node).connect(context.destination);
      reportJoins(audio, node);
    })();
    return graph;
  };

  return {
    async play(from) {
      try {
        await build();
        await context!.resume();
        const start = () => {
          if (from !== undefined) audio.currentTime = Math.max(0, from);
          return audio.play();
        };
        try {
          await start();
        } catch (error) {
          // WebKitGTK's media backend now and then fails to open the blob: URL of a WAV it plays
          // (MEDIA_ERR_SRC_NOT_SUPPORTED, seen under CPU load); loaded once more, it plays.
          if (!(error instanceof DOMException && error.name === 'NotSupportedError')) throw error;
          audio.load();
          await start();
        }
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new Error(`${name}: this browser cannot play this file (${why})`);
      }
    },
    pause() {
      audio.pause();
    },
    seek(seconds) {
      audio.currentTime = Math.max(0, Math.min(seconds, Number.isFinite(audio.duration) ? audio.duration : seconds));
      changed();
    },
    setLoop(region) {
      loop = region && region.end > region.start ? region : null;
    },
    get playing() {
      return !audio.paused && !audio.ended;
    },
    currentTime: () => audio.currentTime,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      cancelAnimationFrame(frame);
      audio.pause();
      audio.removeAttribute('src');
      URL.revokeObjectURL(url);
      const c = context as AudioContext | null;
      if (c && c.state !== 'closed') await c.close();
    },
  };
}
