/** Streams a PCM data region of a ByteSource as planar Float32 chunks (WAV and AIFF share it). */
import type { ByteSource } from './byte-source.ts';
import { PCM_CHUNK_FRAMES } from './decoder.ts';
import { decodePcm } from './pcm.ts';
import type { PcmFormat } from './pcm.ts';

export interface PcmRegion {
  offset: number;
  /** Whole frames available in the file (already clipped to what the file holds). */
  frames: number;
  channels: number;
  format: PcmFormat;
}

export async function* pcmChunks(source: ByteSource, region: PcmRegion): AsyncGenerator<Float32Array[]> {
  const frameBytes = region.channels * region.format.bytes;
  let done = 0;
  while (done < region.frames) {
    const frames = Math.min(PCM_CHUNK_FRAMES, region.frames - done);
    const bytes = await source.read(region.offset + done * frameBytes, frames * frameBytes);
    const got = Math.floor(bytes.length / frameBytes);
    if (got === 0) return;
    const out = Array.from({ length: region.channels }, () => new Float32Array(got));
    decodePcm(bytes, got, region.channels, region.format, out);
    yield out;
    done += got;
    if (got < frames) return;
  }
}

/** "m:ss.mmm" for messages about positions in a file. */
export function formatTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  return `${m}:${(seconds - m * 60).toFixed(3).padStart(6, '0')}`;
}
