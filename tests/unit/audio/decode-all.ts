/** Shared helpers for the decoder suites: decode bytes completely, and find external tools. */
import { spawnSync } from 'node:child_process';
import * as assert from 'uvu/assert';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import type { AudioStreamInfo } from '../../../src/core/audio/decoder.ts';
import { openAudio } from '../../../src/core/audio/open-audio.ts';

export async function decodeAll(
  bytes: Uint8Array,
  name = 'test.wav',
): Promise<{ info: AudioStreamInfo; planar: Float32Array[]; warnings: string[] }> {
  const decoder = await openAudio(new MemoryByteSource(name, bytes));
  const parts: Float32Array[][] = decoder.info.channelLayout.map(() => []);
  for await (const chunk of decoder.chunks()) chunk.forEach((c, i) => parts[i]!.push(c));
  const planar = parts.map((list) => {
    const out = new Float32Array(list.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of list) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  });
  return { info: decoder.info, planar, warnings: decoder.warnings };
}

/** True when `tool -version`/`--version` runs; tests that need it print a skip message otherwise. */
export function hasTool(tool: string): boolean {
  const r = spawnSync(tool, [tool === 'ffmpeg' ? '-version' : '--version'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Asserts that analysing `bytes` fails with a message that starts with the file name and matches `pattern`. */
export async function rejects(bytes: Uint8Array, name: string, pattern: RegExp): Promise<void> {
  try {
    await analyseAudio(new MemoryByteSource(name, bytes));
  } catch (e) {
    const msg = (e as Error).message;
    assert.ok(msg.startsWith(`${name}: `), `message does not name the file: ${msg}`);
    assert.match(msg, pattern);
    return;
  }
  assert.unreachable(`${name} was accepted`);
}
