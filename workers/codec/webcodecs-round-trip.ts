/**
 * The codec round trip with the browser's WebCodecs: AudioEncoder to the platform's codec and
 * bitrate, AudioDecoder straight back, both streaming. Where the browser has no encoder for the
 * codec (Debian's Chromium encodes Opus only: no AAC, MP3 or Vorbis; WebKitGTK has no
 * AudioEncoder at all) the factory answers `unavailable` with the reason, never a guess.
 *
 * Encoder delay: the decoder is configured with the encoder's own decoderConfig, whose Opus
 * header carries the pre-skip, and Chromium's decoder applies it (a burst at 0.500 s came back
 * at 0.500 s), so delayFrames is 0. For AAC (Chrome on macOS/Windows, Safari) the priming is not
 * measurable on this machine: taken as 0, an error under 50 ms against times shown to the second.
 *
 * Threading: a dedicated worker (or a window); one instance per check. Backpressure: push waits
 * while more than MAX_QUEUE frames wait in the encoder or decoder, so memory stays bounded.
 */
import { CODEC_LABEL } from '../../src/core/codec/codec-check.ts';
import { decodedBlock } from './decoded-block.ts';
import {
  WEBCODECS_CODEC,
  type CodecRoundTrip,
  type DecodedBlock,
  type RoundTripFactory,
} from '../../src/core/codec/round-trip.ts';

const MAX_QUEUE = 8;

export const webCodecsRoundTrip: RoundTripFactory = async (r) => {
  if (typeof AudioEncoder === 'undefined' || typeof AudioDecoder === 'undefined')
    return { unavailable: 'this browser has no WebCodecs audio encoder, so it cannot reproduce the codec' };
  const config: AudioEncoderConfig = {
    codec: WEBCODECS_CODEC[r.codec],
    sampleRate: r.sampleRate,
    numberOfChannels: r.channels,
    bitrate: r.bitrateKbps * 1000,
  };
  const support = await AudioEncoder.isConfigSupported(config).catch(() => ({ supported: false }));
  if (!support.supported)
    return {
      unavailable: `this browser has no ${CODEC_LABEL[r.codec]} encoder (WebCodecs) at ${r.sampleRate} Hz, ${r.channels} channel${r.channels === 1 ? '' : 's'}`,
    };
  return new WebCodecsRoundTrip(config);
};

class WebCodecsRoundTrip implements CodecRoundTrip {
  readonly encoder: string;
  readonly delayFrames = 0;
  private readonly enc: AudioEncoder;
  private dec: AudioDecoder | null = null;
  private ready: DecodedBlock[] = [];
  private failure: Error | null = null;
  private frames = 0;

  constructor(private readonly config: AudioEncoderConfig) {
    this.encoder = `WebCodecs AudioEncoder (${config.codec}, ${(config.bitrate ?? 0) / 1000} kbit/s)`;
    this.enc = new AudioEncoder({
      output: (chunk, meta) => this.decode(chunk, meta),
      error: (e) => (this.failure ??= e),
    });
    this.enc.configure(config);
  }

  private decode(chunk: EncodedAudioChunk, meta?: EncodedAudioChunkMetadata): void {
    if (!this.dec) {
      const decoderConfig = meta?.decoderConfig;
      if (!decoderConfig) {
        this.failure ??= new Error('the encoder gave no decoder configuration');
        return;
      }
      this.dec = new AudioDecoder({
        output: (data) => this.ready.push(decodedBlock(data)),
        error: (e) => (this.failure ??= e),
      });
      this.dec.configure(decoderConfig);
    }
    this.dec.decode(chunk);
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private drained(): DecodedBlock[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  private async settle(): Promise<void> {
    const wait = (target: AudioEncoder | AudioDecoder) =>
      new Promise<void>((resolve) => target.addEventListener('dequeue', () => resolve(), { once: true }));
    while (!this.failure && this.enc.encodeQueueSize > MAX_QUEUE) await wait(this.enc);
    while (!this.failure && this.dec && this.dec.decodeQueueSize > MAX_QUEUE) await wait(this.dec);
  }

  async push(planes: Float32Array[]): Promise<DecodedBlock[]> {
    this.check();
    const n = planes[0]?.length ?? 0;
    if (n > 0) {
      const data = new Float32Array(n * planes.length);
      planes.forEach((p, c) => data.set(p.subarray(0, n), c * n));
      const audio = new AudioData({
        format: 'f32-planar',
        sampleRate: this.config.sampleRate,
        numberOfChannels: planes.length,
        numberOfFrames: n,
        timestamp: Math.round((this.frames * 1e6) / this.config.sampleRate),
        data,
      });
      this.frames += n;
      this.enc.encode(audio);
      audio.close();
    }
    await this.settle();
    this.check();
    return this.drained();
  }

  async flush(): Promise<DecodedBlock[]> {
    await this.enc.flush();
    this.check();
    if (this.dec) await this.dec.flush();
    this.check();
    return this.drained();
  }

  close(): void {
    for (const c of [this.enc, this.dec]) if (c && c.state !== 'closed') c.close();
    this.ready = [];
  }
}
