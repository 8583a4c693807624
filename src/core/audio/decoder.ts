/** What every decoder exposes: stream facts first, then planar float chunks in order. */
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from '../dsp/analyser.ts';
import type { ChannelLabel } from '../dsp/channels.ts';
import type { PcmFormat } from './pcm.ts';

export type ContainerFormat = 'wav' | 'rf64' | 'bw64' | 'aiff' | 'aifc' | 'flac';

export interface AudioStreamInfo {
  format: ContainerFormat;
  /** Human-readable encoding, e.g. "PCM 24-bit", "float 32-bit", "FLAC 16-bit". */
  encoding: string;
  sampleRate: number;
  channels: number;
  channelLayout: ChannelLabel[];
  bitsPerSample: number;
  /** Frames the header declares (null when it does not say); decoding may deliver fewer. */
  declaredFrames: number | null;
}

export interface AudioDecoder {
  readonly info: AudioStreamInfo;
  /** Problems that did not stop decoding (truncation, odd headers); filled in as decoding goes. */
  readonly warnings: string[];
  /** Planar Float32 chunks (one array per channel), bounded in size, in stream order. */
  chunks(): AsyncIterable<Float32Array[]>;
  /**
   * PCM formats only: the same audio as `chunks()` left undecoded, as blocks of whole
   * interleaved frames, for analysers that decode into their own memory (no Float32 copy);
   * `frames` whole frames are present, and blocks(from, to) reads only frames from..to (a
   * slice of the file analysed by another worker reads its own byte range). A block is valid
   * only until the next is asked for: the source may reuse its buffer.
   */
  readonly pcm?: { layout: PcmFormat; frames: number; blocks(from?: number, to?: number): AsyncIterable<Uint8Array> };
}

/** Frames per decoded chunk for PCM formats: bounded memory whatever the file size. */
export const PCM_CHUNK_FRAMES = 65536;

/** A problem with an input file; the message always starts with the file name. */
export class AudioDecodeError extends Error {
  constructor(
    readonly fileName: string,
    readonly problem: string,
  ) {
    super(`${fileName}: ${problem}`);
    this.name = 'AudioDecodeError';
  }
}

export const MAX_DECODE_CHANNELS = 32;

/** Checks channel count and sample rate from a header; throws a message naming the file. */
export function checkStreamShape(name: string, channels: number, sampleRate: number): void {
  if (channels === 0) throw new AudioDecodeError(name, 'the header declares 0 channels');
  if (channels > MAX_DECODE_CHANNELS)
    throw new AudioDecodeError(
      name,
      `the header declares ${channels} channels; at most ${MAX_DECODE_CHANNELS} are supported`,
    );
  if (!Number.isFinite(sampleRate) || sampleRate <= 0 || sampleRate > 10_000_000)
    throw new AudioDecodeError(name, `the header declares an implausible sample rate of ${sampleRate} Hz`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw new AudioDecodeError(
      name,
      `a sample rate of ${sampleRate} Hz cannot be measured (${MIN_SAMPLE_RATE} to ${MAX_SAMPLE_RATE} Hz supported)`,
    );
}
