/**
 * A codec round trip: planar float audio in, the same audio encoded with a lossy codec and
 * decoded back out. Implementations by technology: WebCodecs (workers/codec/), a WASM encoder
 * where one exists, ffmpeg in the CLI. The check itself (codec-check-audio.ts) only sees this.
 *
 * Contract: `push` takes blocks in order and resolves with whatever decoded audio is ready
 * (possibly none: codecs buffer a frame or more); `flush` drains the rest. Decoded blocks carry
 * their own sample rate (an Opus decoder answers at 48 kHz whatever went in). `delayFrames` is
 * the encoder delay still at the head of the decoded stream, at the decoded rate: 0 when the
 * decoder removes it itself (Opus pre-skip from its header, an MP4 edit list). `close` frees
 * the codec; it is called once, after a failure or cancel too.
 */
import type { CodecName } from '../diagnostics/delivery-targets.ts';

export interface DecodedBlock {
  planes: Float32Array[];
  sampleRate: number;
}

export interface CodecRoundTrip {
  /** Names the encoder in the record ("WebCodecs AudioEncoder (opus)"). */
  readonly encoder: string;
  readonly delayFrames: number;
  push(planes: Float32Array[]): Promise<DecodedBlock[]>;
  flush(): Promise<DecodedBlock[]>;
  close(): void;
}

export interface RoundTripRequest {
  codec: CodecName;
  bitrateKbps: number;
  sampleRate: number;
  channels: number;
}

/** Makes a round trip for a request, or says plainly why none can run here. */
export type RoundTripFactory = (r: RoundTripRequest) => Promise<CodecRoundTrip | { unavailable: string }>;

/** The codec strings WebCodecs knows these codecs by (AAC-LC for AAC). */
export const WEBCODECS_CODEC: Record<CodecName, string> = {
  aac: 'mp4a.40.2',
  opus: 'opus',
  vorbis: 'vorbis',
  mp3: 'mp3',
};

/**
 * Tries each factory in order (the browser's own encoder first, then a WASM one) and takes the
 * first that can run; when none can, their reasons together ("…; …").
 */
export function firstAvailable(factories: readonly RoundTripFactory[]): RoundTripFactory {
  return async (r) => {
    const reasons: string[] = [];
    for (const make of factories) {
      const made = await make(r);
      if (!('unavailable' in made)) return made;
      if (!reasons.includes(made.unavailable)) reasons.push(made.unavailable);
    }
    return { unavailable: reasons.join('; ') };
  };
}
