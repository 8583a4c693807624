/** Streams a PCM data region of a ByteSource as planar Float32 chunks (WAV and AIFF share it). */
import type { ByteSource } from './byte-source.ts';
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
 * whole frames; stops where the source ends.
 */
export async function* pcmBlocks(
  source: ByteSource,
  region: PcmRegion,
  from = 0,
  to = region.frames,
): AsyncGenerator<Uint8Array> {
  const frameBytes = region.channels * region.format.bytes;
  let done = Math.max(0, from);
  const end = Math.min(to, region.frames);
  while (done < end) {
    const frames = Math.min(PCM_CHUNK_FRAMES, end - done);
    const bytes = await source.read(region.offset + done * frameBytes, frames * frameBytes);
    const got = Math.floor(bytes.length / frameBytes);
    if (got === 0) return;
    yield got * frameBytes === bytes.length ? bytes : bytes.subarray(0, got * frameBytes);
    done += got;
    if (got < frames) return;
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
