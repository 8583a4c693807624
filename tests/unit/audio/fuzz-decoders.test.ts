/**
 * Seeded fuzzing of the decoders: mutated, truncated and spliced WAV, RF64, AIFF and FLAC bytes
 * either decode (with warnings) or fail with an AudioDecodeError naming the file. Never another
 * exception, never a hang (each case must finish quickly). The seed is printed on failure.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { AudioDecodeError } from '../../../src/core/audio/decoder.ts';
import { mixLike, seededRandom } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';
import { hasTool } from './decode-all.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const signal = mixLike(8000, 1, 5);
const seeds: [string, Uint8Array][] = [
  ['wav', writeWav(signal, { sampleRate: 8000, format: 'pcm16' })],
  ['rf64', writeWav(signal, { sampleRate: 8000, format: 'float32', rf64: true, channelMask: 3 })],
];
if (hasTool('ffmpeg')) {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-fuzz-'));
  writeFileSync(join(dir, 'a.wav'), seeds[0]![1]);
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', join(dir, 'a.wav'), join(dir, 'a.flac')]);
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', join(dir, 'a.wav'), join(dir, 'a.aiff')]);
  seeds.push(
    ['flac', new Uint8Array(readFileSync(join(dir, 'a.flac')))],
    ['aiff', new Uint8Array(readFileSync(join(dir, 'a.aiff')))],
  );
  rmSync(dir, { recursive: true, force: true });
} else console.log('SKIPPED: FLAC and AIFF fuzz seeds need ffmpeg');

function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const kind = Math.floor(rand() * 4);
  const header = Math.min(out.length, 120);
  if (kind === 0) for (let i = 0; i < 1 + rand() * 8; i++) out[Math.floor(rand() * header)] = Math.floor(rand() * 256); // header bytes
  if (kind === 1)
    for (let i = 0; i < 1 + rand() * 30; i++) out[Math.floor(rand() * out.length)] = Math.floor(rand() * 256); // anywhere
  if (kind === 2) return out.subarray(0, Math.floor(rand() * out.length)); // truncation
  if (kind === 3) {
    const at = Math.floor(rand() * header);
    new DataView(out.buffer).setUint32(at - (at % 4), Math.floor(rand() * 2 ** 32), rand() < 0.5);
  } // a size field
  return out;
}

test(`mutated files decode or fail with a named AudioDecodeError, never hang (seed ${SEED})`, async () => {
  const rand = seededRandom(SEED);
  let decoded = 0,
    refused = 0;
  for (let i = 0; i < 400; i++) {
    const [format, bytes] = seeds[i % seeds.length]!;
    const name = `fuzz-${i}.${format}`;
    const input = mutate(bytes, rand);
    const t0 = performance.now();
    try {
      await analyseAudio(new MemoryByteSource(name, input));
      decoded++;
    } catch (e) {
      if (!(e instanceof AudioDecodeError) || !e.message.startsWith(`${name}: `)) {
        throw new Error(
          `case ${i} (${format}, FUZZ_SEED=${SEED}) threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
        );
      }
      refused++;
    }
    assert.ok(performance.now() - t0 < 5000, `case ${i} (${format}, FUZZ_SEED=${SEED}) took too long`);
  }
  assert.ok(decoded > 0 && refused > 0, `decoded ${decoded}, refused ${refused}`);
});

test.run();
