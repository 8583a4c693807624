/**
 * Audio files the analysis browser tests and the browser benchmark generate (no binary
 * fixtures): tones as WAV bytes, and a long mix-like WAV written once to a temp file (a file on
 * disk can be handed to a file input without passing its bytes through the test protocol).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbToAmp, inPhase, mixLike, sine } from './signals.ts';
import { writeWav, type WavSampleFormat } from './wav-writer.ts';

/** A 1 kHz tone at `dbfs` peak on `channels` channels (in phase), as WAV bytes. */
export function toneWav(
  dbfs: number,
  channels: number,
  seconds = 20,
  sampleRate = 48000,
  format: WavSampleFormat = 'pcm24',
): Uint8Array {
  return writeWav(inPhase(sine(sampleRate, seconds, 1000, dbToAmp(dbfs)), channels), { sampleRate, format });
}

/** Path of a cached mix-like stereo WAV of `seconds` (48 kHz, 24-bit unless told), written on first use. */
export function mixWavFile(seconds: number, sampleRate = 48000, format: WavSampleFormat = 'pcm24'): string {
  const dir = join(tmpdir(), 'mixdesk-analysis-files');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `mix-${seconds}s-${sampleRate}-${format}.wav`);
  if (!existsSync(path)) writeFileSync(path, writeWav(mixLike(sampleRate, seconds, 5), { sampleRate, format }));
  return path;
}

/** Path of a cached loud master (the mix-like programme driven into a tanh limiter, peaks near -0.3 dBFS). */
export function loudMasterWavFile(seconds: number, sampleRate = 48000): string {
  const dir = join(tmpdir(), 'mixdesk-analysis-files');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `loud-${seconds}s-${sampleRate}-pcm24.wav`);
  if (!existsSync(path))
    writeFileSync(
      path,
      writeWav(
        mixLike(sampleRate, seconds, 5).map((c) => c.map((v) => 0.97 * Math.tanh(v * 16))),
        { sampleRate, format: 'pcm24' },
      ),
    );
  return path;
}
