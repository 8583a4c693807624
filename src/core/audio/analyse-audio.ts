/**
 * Decode and analyse one input end to end, chunk by chunk: the audio is never held whole.
 * This is the function a worker or the CLI calls. Progress is reported as 0-100 from frames
 * decoded against the frames the header declares; an AbortSignal cancels between chunks.
 */
import { makeAnalyser } from '../dsp/analyser.ts';
import { InvalidSampleError } from '../dsp/channel-levels.ts';
import type { KernelFactory } from '../dsp/kernels.ts';
import type { AnalysisResult } from '../dsp/result-schema.ts';
import type { ByteSource } from './byte-source.ts';
import { AudioDecodeError } from './decoder.ts';
import type { AudioStreamInfo } from './decoder.ts';
import { openAudio } from './open-audio.ts';
import { formatTime } from './pcm-stream.ts';

export interface AnalyseOptions {
  onProgress?: (percent: number) => void;
  signal?: AbortSignal;
  /** Hot-loop implementation (default: the TypeScript reference; see dsp/wasm-kernels.ts). */
  kernels?: KernelFactory;
}

export interface FileAnalysis {
  name: string;
  stream: AudioStreamInfo;
  result: AnalysisResult;
}

export async function analyseAudio(source: ByteSource, options: AnalyseOptions = {}): Promise<FileAnalysis> {
  const decoder = await openAudio(source);
  const { info } = decoder;
  const analyser = makeAnalyser({
    sampleRate: info.sampleRate,
    channels: info.channels,
    channelLayout: info.channelLayout,
    ...(options.kernels ? { kernels: options.kernels } : {}),
  });
  let lastPercent = -1;
  // WAV/AIFF data goes to the kernels undecoded when they decode it themselves (WASM).
  const pcm = analyser.decodesPcm ? decoder.pcm : undefined;
  const blocks: AsyncIterable<Uint8Array | Float32Array[]> = pcm ? pcm.blocks() : decoder.chunks();
  for await (const block of blocks) {
    if (options.signal?.aborted) throw new AudioDecodeError(source.name, 'analysis cancelled');
    try {
      if (pcm && block instanceof Uint8Array) analyser.pushPcm(block, pcm.layout);
      else analyser.push(block as Float32Array[]);
    } catch (e) {
      if (e instanceof InvalidSampleError) {
        const seconds = e.seconds;
        throw new AudioDecodeError(
          source.name,
          `${e.message.replace(/ at [0-9.]+ s$/, '')} at ${formatTime(seconds)} (${seconds.toFixed(6)} s): the file cannot be measured`,
        );
      }
      throw e;
    }
    if (options.onProgress && info.declaredFrames) {
      const percent = Math.min(99, Math.floor((100 * analyser.frames) / info.declaredFrames));
      if (percent !== lastPercent) {
        lastPercent = percent;
        options.onProgress(percent);
      }
    }
  }
  if (analyser.frames === 0) throw new AudioDecodeError(source.name, 'no audio frames could be decoded');
  const result = analyser.finish();
  result.warnings.unshift(...decoder.warnings);
  options.onProgress?.(100);
  return { name: source.name, stream: info, result };
}
