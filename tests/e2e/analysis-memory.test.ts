/**
 * Bounded memory in the browser: a 1 GB WAV (31 minutes, 96 kHz 24-bit stereo) picked on the
 * analyze page is measured while the renderer (page and workers) grows by far less than the
 * file: the File is read in slices and never held whole. Renderer memory is read from /proc
 * (Linux); elsewhere the test says it was skipped.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rendererRssMb, sampleRendererPeak } from '../support/analysis-memory.ts';
import { figureText, pickFile, startAnalyzeSession, type AnalyzeSession } from '../support/analysis-page.ts';
import { mixLike } from '../support/signals.ts';
import { writeWav } from '../support/wav-writer.ts';

const memory = suite<AnalyzeSession & { dir: string }>('analysis memory');

const RATE = 96000,
  SECONDS = 1864; // 1864 s x 576000 B/s = 1.07 GB

/** Writes a long WAV by repeating one generated second (phase jumps at the seams do not matter here). */
function writeLongWav(path: string): number {
  const second = writeWav(mixLike(RATE, 1, 3), { sampleRate: RATE, format: 'pcm24' });
  const header = new Uint8Array(second.subarray(0, 44));
  const body = second.subarray(44);
  const dataSize = body.length * SECONDS;
  const view = new DataView(header.buffer);
  view.setUint32(4, 36 + dataSize, true);
  view.setUint32(40, dataSize, true);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header);
    for (let s = 0; s < SECONDS; s++) writeSync(fd, body);
  } finally {
    closeSync(fd);
  }
  return 44 + dataSize;
}

memory.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'mixdesk-memory-'));
  Object.assign(ctx, await startAnalyzeSession());
});
memory.after(async (ctx) => {
  await ctx.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

memory('a 1 GB WAV is measured while the renderer grows by less than a fifth of the file', async ({ page, dir }) => {
  if (rendererRssMb() === null) {
    console.log('  skipped: no /proc to read renderer memory from');
    return;
  }
  const path = join(dir, 'long-96k.wav');
  const size = writeLongWav(path);
  const before = rendererRssMb()!;
  const sampler = sampleRendererPeak();
  await pickFile(page, path);
  const duration = await figureText(page, 'file.duration', 180_000);
  const peak = sampler.stop()!;
  assert.is(duration, `${SECONDS.toFixed(3)} s`);
  const growthMb = peak - before;
  console.log(
    `  file ${(size / 2 ** 20).toFixed(0)} MB, renderer ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (+${growthMb.toFixed(0)} MB)`,
  );
  assert.ok(
    growthMb < size / 2 ** 20 / 5,
    `renderer grew by ${growthMb.toFixed(0)} MB for a ${(size / 2 ** 20).toFixed(0)} MB file`,
  );
});

memory.run();
