/**
 * The codec round trip in a terminal, by ffmpeg: one ffmpeg encodes raw float PCM from our
 * stdin to the platform's codec in a streamable container, a second decodes that stream back to
 * raw float PCM, piped together, so memory stays bounded whatever the file's length. ffmpeg is
 * not bundled: when it (or the encoder a codec needs) is not installed, the factory says so.
 *
 * Encoder delay: the streamed containers carry no edit list, so the decoded stream starts with
 * the encoder's priming. Measured with Debian 12's ffmpeg 5.1 (a burst at 1.000 s at 48 kHz):
 * AAC in ADTS comes back 1024 frames late, MP3 (LAME) 1105; Opus in Ogg applies its pre-skip
 * and Vorbis has none (0). tests/unit/codec/cli-codec-check.test.ts checks the AAC figure by
 * locating a burst.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { CodecName } from '../core/diagnostics/delivery-targets.ts';
import type { CodecRoundTrip, DecodedBlock, RoundTripFactory } from '../core/codec/round-trip.ts';

const ENCODERS: Record<CodecName, { encoder: string; container: string; delayFrames: number }> = {
  aac: { encoder: 'aac', container: 'adts', delayFrames: 1024 },
  opus: { encoder: 'libopus', container: 'ogg', delayFrames: 0 },
  vorbis: { encoder: 'libvorbis', container: 'ogg', delayFrames: 0 },
  mp3: { encoder: 'libmp3lame', container: 'mp3', delayFrames: 1105 },
};

/** The encoders this machine's ffmpeg has, or null when there is no ffmpeg. */
function ffmpegEncoders(): string | null {
  const p = spawnSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
  return p.status === 0 ? p.stdout : null;
}

export const ffmpegRoundTrip: RoundTripFactory = (r) => {
  const list = ffmpegEncoders();
  if (list === null)
    return Promise.resolve({
      unavailable: 'ffmpeg is not installed (or not on PATH): the codec check needs it in a terminal',
    });
  const spec = ENCODERS[r.codec];
  if (!new RegExp(`^\\s*A\\S*\\s+${spec.encoder}\\s`, 'm').test(list))
    return Promise.resolve({ unavailable: `this ffmpeg has no ${spec.encoder} encoder (needed for ${r.codec})` });
  return Promise.resolve(new FfmpegRoundTrip(spec, r.bitrateKbps, r.sampleRate, r.channels));
};

class FfmpegRoundTrip implements CodecRoundTrip {
  readonly encoder: string;
  readonly delayFrames: number;
  private readonly enc: ChildProcessWithoutNullStreams;
  private readonly dec: ChildProcessWithoutNullStreams;
  private pending: Buffer[] = [];
  private leftover = Buffer.alloc(0);
  private readonly decodedEnd: Promise<void>;
  private failure: Error | null = null;
  private stderr = '';

  constructor(
    spec: (typeof ENCODERS)[CodecName],
    kbps: number,
    private readonly sampleRate: number,
    private readonly channels: number,
  ) {
    this.encoder = `ffmpeg ${spec.encoder} (${spec.container})`;
    this.delayFrames = spec.delayFrames;
    const raw = ['-f', 'f32le', '-ar', String(sampleRate), '-ac', String(channels)];
    this.enc = spawn('ffmpeg', [
      '-v',
      'error',
      ...raw,
      '-i',
      'pipe:0',
      '-c:a',
      spec.encoder,
      '-b:a',
      `${kbps}k`,
      '-f',
      spec.container,
      'pipe:1',
    ]);
    // Decoded at the source rate: Opus decodes at 48 kHz and ffmpeg resamples back, as a player's output would.
    this.dec = spawn('ffmpeg', ['-v', 'error', '-i', 'pipe:0', ...raw, 'pipe:1']);
    this.enc.stdout.pipe(this.dec.stdin);
    for (const p of [this.enc, this.dec]) {
      p.stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-2000)));
      p.on('error', (e) => (this.failure ??= e));
      p.stdin.on('error', (e) => (this.failure ??= e));
    }
    this.dec.stdout.on('data', (d: Buffer) => this.pending.push(d));
    this.decodedEnd = new Promise((resolve) =>
      this.dec.on('close', (code) => {
        if (code !== 0) this.failure ??= new Error(`ffmpeg failed (${code}): ${this.stderr.trim()}`);
        resolve();
      }),
    );
  }

  async push(planes: Float32Array[]): Promise<DecodedBlock[]> {
    this.check();
    const n = planes[0]?.length ?? 0;
    const inter = new Float32Array(n * this.channels);
    for (let c = 0; c < this.channels; c++) {
      const p = planes[c]!;
      for (let i = 0; i < n; i++) inter[i * this.channels + c] = p[i]!;
    }
    const ok = this.enc.stdin.write(Buffer.from(inter.buffer, inter.byteOffset, inter.byteLength));
    if (!ok) await new Promise<void>((resolve) => this.enc.stdin.once('drain', resolve));
    return this.take();
  }

  async flush(): Promise<DecodedBlock[]> {
    this.enc.stdin.end();
    await this.decodedEnd;
    this.check();
    return this.take();
  }

  close(): void {
    for (const p of [this.enc, this.dec]) if (p.exitCode === null) p.kill();
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Whole frames decoded so far, de-interleaved; a partial frame waits for the next bytes. */
  private take(): DecodedBlock[] {
    if (this.pending.length === 0) return [];
    const bytes = Buffer.concat([this.leftover, ...this.pending]);
    this.pending = [];
    const frameBytes = 4 * this.channels;
    const frames = Math.floor(bytes.length / frameBytes);
    this.leftover = Buffer.from(bytes.subarray(frames * frameBytes));
    if (frames === 0) return [];
    const planes = Array.from({ length: this.channels }, () => new Float32Array(frames));
    for (let i = 0; i < frames; i++)
      for (let c = 0; c < this.channels; c++) planes[c]![i] = bytes.readFloatLE((i * this.channels + c) * 4);
    return [{ planes, sampleRate: this.sampleRate }];
  }
}
