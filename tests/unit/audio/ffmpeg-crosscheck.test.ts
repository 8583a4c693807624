/**
 * Integrated loudness and loudness range against ffmpeg's ebur128 filter on generated
 * mix-like programme (continuously riding levels, kick, bass, noise bed), within 0.05 LU.
 * ffmpeg's summary prints one decimal, so the comparison uses the full-precision values the
 * filter attaches as frame metadata (printed with ametadata), and checks the summary agrees.
 *
 * LRA percentiles: we follow EBU Tech 3342's reference (and libebur128): the value at sorted
 * index round((n-1) p). ffmpeg takes the 10th percentile one rank lower (index lrint(0.1 n)-1,
 * from a 0.01 LU histogram). So the short-term values and gates are checked against ffmpeg to
 * 0.05 LU under ffmpeg's rank rule, and our reported LRA to 0.05 LU plus that one-rank step.
 * Skipped, with a printed message, when ffmpeg is not installed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { mixLike } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';
import { energyToLufs, lufsToEnergy } from '../../../src/core/dsp/units.ts';
import { hasTool } from './decode-all.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixdesk-r128-'));

interface FfmpegR128 {
  i: number;
  lra: number;
  summaryI: number;
  summaryLra: number;
}

/** Runs `ffmpeg -nostats -i f -af ebur128=peak=true:metadata=1 -f null -` and reads its numbers. */
function ffmpegR128(file: string): FfmpegR128 {
  const meta = join(dir, 'meta.txt');
  const p = spawnSync(
    'ffmpeg',
    [
      '-nostats',
      '-i',
      file,
      '-af',
      `ebur128=peak=true:metadata=1,ametadata=mode=print:file=${meta}`,
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8' },
  );
  if (p.status !== 0) throw new Error(`ffmpeg failed: ${p.stderr.slice(-500)}`);
  const text = readFileSync(meta, 'utf8');
  const last = (key: string) => Number([...text.matchAll(new RegExp(`lavfi\\.r128\\.${key}=(\\S+)`, 'g'))].pop()![1]);
  const summary = p.stderr.slice(p.stderr.lastIndexOf('Summary:'));
  return {
    i: last('I'),
    lra: last('LRA'),
    summaryI: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]),
    summaryLra: Number(/LRA:\s+(-?[\d.]+) LU/.exec(summary)![1]),
  };
}

/** Gated short-term values (Tech 3342 gates), sorted ascending. */
function gatedShortTerm(series: (number | null)[]): number[] {
  const abs = series.filter((v): v is number => v !== null && v > -70);
  const gate = energyToLufs(abs.reduce((s, v) => s + lufsToEnergy(v), 0) / abs.length) - 20;
  return abs.filter((v) => v > gate).sort((a, b) => a - b);
}

if (!hasTool('ffmpeg')) {
  console.log('SKIPPED: ffmpeg is not installed; the ebur128 cross-check did not run');
} else {
  for (const [seed, rate] of [
    [11, 48000],
    [12, 44100],
    [13, 48000],
  ] as const) {
    test(`I and LRA match ffmpeg ebur128 within 0.05 LU (mix-like programme, seed ${seed}, ${rate} Hz)`, async () => {
      const bytes = writeWav(mixLike(rate, 120, seed), { sampleRate: rate, format: 'float32' });
      const file = join(dir, `mix-${seed}.wav`);
      writeFileSync(file, bytes);
      const ours = (await analyseAudio(new MemoryByteSource(file, bytes))).result.loudness;
      const theirs = ffmpegR128(file);
      const sorted = gatedShortTerm(ours.series.shortTerm.value);
      const n = sorted.length;
      const ffmpegRankLra = sorted[Math.round(0.95 * n)]! - sorted[Math.round(0.1 * n) - 1]!;
      const rankStep = Math.abs(sorted[Math.round((n - 1) * 0.1)]! - sorted[Math.round(0.1 * n) - 1]!);
      const msg = `seed ${seed}: ours I ${ours.integrated.value} LRA ${ours.range.value} (with ffmpeg's ranks ${ffmpegRankLra}); ffmpeg I ${theirs.i} LRA ${theirs.lra}`;
      assert.ok(Math.abs(ours.integrated.value! - theirs.i) <= 0.05, msg);
      assert.ok(Math.abs(ffmpegRankLra - theirs.lra) <= 0.05, msg);
      assert.ok(Math.abs(ours.range.value! - theirs.lra) <= 0.05 + rankStep, `${msg}; one-rank step ${rankStep}`);
      assert.ok(
        Math.abs(theirs.summaryI - theirs.i) <= 0.051 && Math.abs(theirs.summaryLra - theirs.lra) <= 0.051,
        `summary disagrees with metadata: ${JSON.stringify(theirs)}`,
      );
    });
  }
}

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
