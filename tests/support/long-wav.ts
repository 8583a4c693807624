/**
 * Writes a long 24-bit stereo WAV to disk a block at a time (never whole in memory): a
 * mix-like programme cycled from a few seconds of mixLike, for memory tests and benchmarks of
 * inputs far larger than the heap should ever hold.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { wavHeader } from '../../src/core/dsp/render/wav-writer.ts';
import { mixLike } from './signals.ts';
import { writeWav } from './wav-writer.ts';

/** Writes about `megabytes` MB of 48 kHz 24-bit stereo to `path`; returns the frame count. */
export function writeLongWav(path: string, megabytes: number, gain = 1): number {
  const rate = 48000;
  const block = mixLike(rate, 8, 77).map((c) => c.map((v) => gain * v));
  // The data part of a WAV of the block (the header skipped): 8 s of interleaved 24-bit frames.
  const data = writeWav(block, { sampleRate: rate, format: 'pcm24' }).subarray(44);
  const blocks = Math.max(1, Math.round((megabytes * 2 ** 20) / data.length));
  const frames = blocks * block[0]!.length;
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, wavHeader({ sampleRate: rate, layout: ['FL', 'FR'], format: 'pcm24', frames }));
    for (let b = 0; b < blocks; b++) writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  return frames;
}
