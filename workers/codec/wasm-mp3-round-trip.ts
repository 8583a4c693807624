/**
 * The MP3 round trip where WebCodecs has no MP3 encoder (Chromium has none; it decodes MP3):
 * LAME compiled to WebAssembly (wasm-media-encoders: MIT, the reference LAME, 130 KB of WASM,
 * streaming `encode`/`finalize`, no worker or SharedArrayBuffer needed; chosen over lamejs, a
 * JavaScript port of an older LAME, and ffmpeg.wasm, 30 MB), then WebCodecs' AudioDecoder back,
 * one MPEG frame per chunk (frames split with the header parser the analysis uses).
 *
 * Encoder delay: LAME's 576 frames of priming plus the MP3 decoder's 529 (ffmpeg's decoder,
 * which Chromium's AudioDecoder uses): 1105 frames, as measured for ffmpeg's own LAME round
 * trip (src/cli/ffmpeg-round-trip.ts). No Xing/LAME header is written in streaming, so the
 * decoder cannot trim it itself.
 *
 * The .wasm is a same-origin asset (precached with the app), fetched when a check starts.
 */
import { createEncoder } from 'wasm-media-encoders';
import { mpegFrame } from '../../src/core/analysis/mpeg-frames.ts';
import { CODEC_LABEL } from '../../src/core/codec/codec-check.ts';
import { decodedBlock } from './decoded-block.ts';
import type { CodecRoundTrip, DecodedBlock, RoundTripFactory } from '../../src/core/codec/round-trip.ts';

const MP3_DELAY_FRAMES = 1105;
/** The rates LAME writes without resampling. */
const MP3_RATES = [32000, 44100, 48000];
const MP3_BITRATES = [128, 160, 192, 224, 256, 320] as const;
const MAX_QUEUE = 16;

export const wasmMp3RoundTrip: RoundTripFactory = async (r) => {
  if (r.codec !== 'mp3')
    return { unavailable: `and no ${CODEC_LABEL[r.codec]} encoder in WebAssembly here (only MP3)` };
  if (typeof AudioDecoder === 'undefined')
    return { unavailable: 'this browser has no WebCodecs AudioDecoder to decode the MP3 back' };
  if (!MP3_RATES.includes(r.sampleRate))
    return { unavailable: `MP3 is delivered at 32, 44.1 or 48 kHz, not ${r.sampleRate} Hz` };
  const bitrate = MP3_BITRATES.find((b) => b >= r.bitrateKbps) ?? 320;
  const decoderConfig: AudioDecoderConfig = { codec: 'mp3', sampleRate: r.sampleRate, numberOfChannels: r.channels };
  const support = await AudioDecoder.isConfigSupported(decoderConfig).catch(() => ({ supported: false }));
  if (!support.supported) return { unavailable: 'this browser cannot decode MP3 with WebCodecs' };
  const wasm = await fetch(new URL('../../node_modules/wasm-media-encoders/wasm/mp3.wasm', import.meta.url));
  if (!wasm.ok) return { unavailable: `the MP3 encoder could not be loaded (${wasm.status})` };
  const encoder = await createEncoder('audio/mpeg', await wasm.arrayBuffer());
  encoder.configure({ sampleRate: r.sampleRate, channels: r.channels as 1 | 2, bitrate });
  return new WasmMp3RoundTrip(encoder, decoderConfig, bitrate);
};

class WasmMp3RoundTrip implements CodecRoundTrip {
  readonly encoder: string;
  readonly delayFrames = MP3_DELAY_FRAMES;
  private readonly dec: AudioDecoder;
  private pending = new Uint8Array(0);
  private ready: DecodedBlock[] = [];
  private failure: Error | null = null;
  private timestamp = 0;

  constructor(
    private readonly lame: Awaited<ReturnType<typeof createEncoder<'audio/mpeg'>>>,
    private readonly config: AudioDecoderConfig,
    bitrate: number,
  ) {
    this.encoder = `LAME (wasm-media-encoders) ${bitrate} kbit/s, WebCodecs AudioDecoder`;
    this.dec = new AudioDecoder({
      output: (data) => this.ready.push(decodedBlock(data)),
      error: (e) => (this.failure ??= e),
    });
    this.dec.configure(config);
  }

  /** Appends encoder output and sends every whole MPEG frame to the decoder. */
  private feed(bytes: Uint8Array): void {
    if (bytes.length > 0) {
      const all = new Uint8Array(this.pending.length + bytes.length);
      all.set(this.pending);
      all.set(bytes, this.pending.length);
      this.pending = all;
    }
    let at = 0;
    while (this.pending.length - at >= 4) {
      const f = mpegFrame(this.pending.subarray(at, at + 4));
      if (!f) {
        at++; // not a frame start: LAME writes none, but never loop on a bad byte
        continue;
      }
      if (this.pending.length - at < f.length) break;
      this.dec.decode(
        new EncodedAudioChunk({
          type: 'key',
          timestamp: Math.round((this.timestamp * 1e6) / this.config.sampleRate),
          data: this.pending.slice(at, at + f.length),
        }),
      );
      this.timestamp += f.samples;
      at += f.length;
    }
    this.pending = this.pending.slice(at);
  }

  private drained(): DecodedBlock[] {
    if (this.failure) throw this.failure;
    const out = this.ready;
    this.ready = [];
    return out;
  }

  async push(planes: Float32Array[]): Promise<DecodedBlock[]> {
    this.feed(this.lame.encode(planes));
    while (!this.failure && this.dec.decodeQueueSize > MAX_QUEUE)
      await new Promise<void>((resolve) => this.dec.addEventListener('dequeue', () => resolve(), { once: true }));
    return this.drained();
  }

  async flush(): Promise<DecodedBlock[]> {
    this.feed(this.lame.finalize());
    await this.dec.flush();
    return this.drained();
  }

  close(): void {
    if (this.dec.state !== 'closed') this.dec.close();
    this.ready = [];
  }
}
