/** Streams a PCM data region of a ByteSource as planar Float32 chunks (WAV and AIFF share it). */
import { readSequence, type ByteSource } from './byte-source.ts';
import { PCM_CHUNK_FRAMES } from './decoder.ts';
import type { AudioDecoder } from './decoder.ts';
import { decodePcm } from './pcm.ts';
import type { PcmFormat } from './pcm.ts';

export interface PcmRegion {
  offset: number;
  /** Whole frames available in the file (already clipped to what the file holds). */
  frames: number;
  channels: number;
  format: PcmFormat;
}

/**
 * The region's bytes (frames `from` to `to`, default all) in blocks of at most PCM_CHUNK_FRAMES
 * whole frames; stops where the source ends. Each block is valid only until the next is asked
 * for (a streaming source reuses one buffer): every consumer decodes or meters it at once.
 */
export async function* pcmBlocks(
  source: ByteSource,
  region: PcmRegion,
  from = 0,
  to = region.frames,
): AsyncGenerator<Uint8Array> {
  const frameBytes = region.channels * region.format.bytes;
  const first = Math.max(0, from),
    end = Math.min(to, region.frames);
  if (first >= end) return;
  const chunkBytes = PCM_CHUNK_FRAMES * frameBytes;
  const start = region.offset + first * frameBytes,
    stop = region.offset + end * frameBytes;
  const chunks = source.sequence?.(start, stop, chunkBytes) ?? readSequence(source, start, stop, chunkBytes);
  for await (const bytes of chunks) {
    const whole = bytes.length - (bytes.length % frameBytes);
    if (whole === 0) return;
    yield whole === bytes.length ? bytes : bytes.subarray(0, whole);
    if (bytes.length < chunkBytes) return;
  }
}

export async function* pcmChunks(source: ByteSource, region: PcmRegion): AsyncGenerator<Float32Array[]> {
  const frameBytes = region.channels * region.format.bytes;
  for await (const bytes of pcmBlocks(source, region)) {
    const got = bytes.length / frameBytes;
    const out = Array.from({ length: region.channels }, () => new Float32Array(got));
    decodePcm(bytes, got, region.channels, region.format, out);
    yield out;
  }
}

/** The `chunks` and `pcm` members of a PCM decoder (WAV, AIFF). */
export function pcmStream(source: ByteSource, region: PcmRegion): Pick<AudioDecoder, 'chunks' | 'pcm'> {
  return {
    chunks: () => pcmChunks(source, region),
    pcm: {
      layout: region.format,
      frames: region.frames,
      blocks: (from?: number, to?: number) => pcmBlocks(source, region, from, to),
    },
  };
}

/** "m:ss.mmm" for messages about positions in a file. */
export function formatTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${(seconds - m * 60).toFixed(3).padStart(6, '0')}`;
}
