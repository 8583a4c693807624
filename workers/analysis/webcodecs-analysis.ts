/**
 * MP3 and AAC (ADTS) analysed inside the worker: frames are read from the File a block at a
 * time (mpeg-frames.ts), decoded by WebCodecs' AudioDecoder at the stream's own sample rate
 * (WebCodecs never resamples) and pushed into the analyser as they come, so memory stays
 * bounded like the WAV path. Returns null when this browser has no decoder for the format,
 * and the caller falls back to the main thread's OfflineAudioContext. Worker-only (the main
 * thread decodes compressed files with OfflineAudioContext instead), so it lives here.
 *
 * Unlike decodeAudioData, WebCodecs does not trim the encoder's delay and padding (for MP3
 * about 1100-1600 samples of near-silence at the start and up to a frame at the end); the
 * result says so in a warning. Loudness, peaks and spectrum are not affected by it.
 */
import { framedKind, type CompressedHeader } from '../../src/core/analysis/compressed-header.ts';
import { readFrames } from '../../src/core/analysis/mpeg-frames.ts';
import { ReadAheadBlobSource } from '../../src/core/analysis/read-ahead-source.ts';
import type { AnalysisOutcome, ProgressCallback } from '../../src/core/analysis/worker-contract.ts';
import type { BlobLike } from '../../src/core/audio/byte-source.ts';
import { makeAnalyser, type Analyser } from '../../src/core/dsp/analyser.ts';
import type { KernelFactory } from '../../src/core/dsp/kernels.ts';

/** Frames decoded but not yet measured before the reader waits for the decoder. */
const MAX_IN_FLIGHT = 32;

export async function analyseWithWebCodecs(
  file: BlobLike,
  name: string,
  header: CompressedHeader,
  onProgress: ProgressCallback,
  signal: AbortSignal,
  kernels: KernelFactory | undefined,
): Promise<AnalysisOutcome | null> {
  const kind = framedKind(header);
  if (!kind || !header.sampleRate || typeof AudioDecoder !== 'function') return null;
  const config: AudioDecoderConfig = {
    codec: kind === 'mpeg' ? 'mp3' : 'mp4a.40.2',
    sampleRate: header.sampleRate,
    numberOfChannels: header.channels ?? 2,
  };
  if (!(await AudioDecoder.isConfigSupported(config)).supported) return null;
  const started = performance.now();
  const warnings: string[] = [];
  const pending: AudioData[] = [];
  let failure: Error | null = null;
  let analyser: Analyser | null = null;
  let stream = { sampleRate: 0, channels: 0 };
  const decoder = new AudioDecoder({
    output: (d) => pending.push(d),
    error: (e) => {
      failure = e;
    },
  });
  /** Measures every decoded block so far. */
  const drain = () => {
    for (let d = pending.shift(); d; d = pending.shift()) {
      if (!analyser) {
        stream = { sampleRate: d.sampleRate, channels: d.numberOfChannels };
        analyser = makeAnalyser({
          sampleRate: d.sampleRate,
          channels: d.numberOfChannels,
          ...(kernels ? { kernels } : {}),
        });
      }
      const planar = Array.from({ length: d.numberOfChannels }, (_, c) => {
        const out = new Float32Array(d.numberOfFrames);
        d.copyTo(out, { planeIndex: c, format: 'f32-planar' });
        return out;
      });
      d.close();
      analyser.push(planar);
    }
  };
  try {
    decoder.configure(config);
    let timestamp = 0,
      last = -1;
    for await (const frame of readFrames(new ReadAheadBlobSource(name, file), kind, warnings)) {
      if (signal.aborted) return { ok: false, cancelled: true, message: `${name}: analysis cancelled` };
      if (failure) throw failure;
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp, data: frame.bytes }));
      timestamp += (1e6 * frame.samples) / header.sampleRate;
      while (decoder.decodeQueueSize > MAX_IN_FLIGHT) await new Promise((resolve) => setTimeout(resolve, 0));
      drain();
      const percent = Math.min(99, Math.floor((100 * frame.offset) / file.size));
      if (percent !== last) {
        last = percent;
        onProgress(percent);
      }
    }
    await decoder.flush();
    drain();
    if (failure) throw failure;
    const measured = analyser as Analyser | null;
    if (!measured)
      return { ok: false, cancelled: false, message: `${name}: no ${header.format} frames could be decoded` };
    const result = measured.finish();
    result.warnings.unshift(
      ...warnings,
      `${name}: decoded with WebCodecs, which keeps the encoder's delay and padding (a few hundredths of a second of near-silence at the ends)`,
    );
    onProgress(100);
    return {
      ok: true,
      name,
      result,
      elapsedMs: performance.now() - started,
      engine: kernels ? 'WASM' : 'TypeScript',
      threads: 1,
      stream: {
        format: header.format,
        encoding: `${header.format} via WebCodecs`,
        sampleRate: stream.sampleRate,
        channels: stream.channels,
        decodedBy: 'browser decoder',
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      cancelled: signal.aborted,
      message: message.startsWith(name)
        ? message
        : `${name}: the ${header.format} stream could not be decoded (${message})`,
    };
  } finally {
    for (const d of pending) d.close();
    if (decoder.state !== 'closed') decoder.close();
  }
}
