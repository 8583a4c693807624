/**
 * The corrective render end to end on generated files: gain accuracy when the limiter is barely
 * working, the ceiling held on a loud mix, TPDF dither present in 24-bit output (and absent in
 * float), the source rate and channel layout kept, the 6 dB rule (capped unless forced), cancel
 * (no bytes left behind), and the output cross-checked with ffmpeg's ebur128 where installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryByteSource } from '../../../src/core/audio/byte-source.ts';
import { MemoryByteSink } from '../../../src/core/audio/byte-sink.ts';
import { openWav } from '../../../src/core/audio/wav.ts';
import { renderAudio, type RenderOptions } from '../../../src/core/audio/render-audio.ts';
import type { RenderTarget } from '../../../src/core/dsp/render/gain-plan.ts';
import { hasTool } from '../audio/decode-all.ts';
import { concat, dbToAmp, mixLike, sine } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

const FS = 48000;
const SPOTIFY: RenderTarget = { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1 };

function wavSource(planar: Float32Array[], name = 'mix.wav', rate = FS, channelMask?: number): MemoryByteSource {
  return new MemoryByteSource(
    name,
    writeWav(planar, { sampleRate: rate, format: 'pcm24', ...(channelMask ? { channelMask } : {}) }),
  );
}

async function render(source: MemoryByteSource, o: Partial<RenderOptions> = {}) {
  const sink = new MemoryByteSink('render.wav');
  const outcome = await renderAudio(source, sink, { target: SPOTIFY, ...o });
  return { outcome, sink };
}

/** Decoded planar samples of a WAV in memory. */
async function decode(bytes: Uint8Array): Promise<{ planar: Float32Array[]; rate: number; layout: string[] }> {
  const d = await openWav(new MemoryByteSource('out.wav', bytes));
  const parts: Float32Array[][] = [];
  for await (const c of d.chunks()) parts.push(c);
  return {
    planar: Array.from({ length: d.info.channels }, (_, c) => concat(parts.map((p) => p[c]!))),
    rate: d.info.sampleRate,
    layout: d.info.channelLayout,
  };
}

test('gain accuracy: a quiet, dynamic mix reaches the target within ±0.5 LU when the limiter barely works', async () => {
  // Quiet and peaky-free: about -30 LUFS with peaks far down, so +16 dB needs little limiting.
  const mix = mixLike(FS, 8, 5).map((c) => c.map((v) => 0.35 * v));
  const { outcome } = await render(wavSource(mix), { target: { ...SPOTIFY, integratedLufs: -16 } });
  const r = outcome.record;
  assert.ok(r.plan.expectedReductionDb < 3, `the limiter should barely work (${r.plan.expectedReductionDb} dB)`);
  assert.ok(Math.abs(r.after.integratedLufs! - -16) <= 0.5, `integrated ${r.after.integratedLufs} LUFS`);
  assert.ok(r.after.truePeakDbtp! <= -1 + 0.05, `true peak ${r.after.truePeakDbtp}`);
  assert.is(r.verdict, 'on-target');
});

test('a loud master pushed to the target keeps its true peak under the ceiling (re-verified)', async () => {
  const loud = mixLike(FS, 6, 42).map((c) => c.map((v) => 0.97 * Math.tanh(10 * v)));
  const { outcome } = await render(wavSource(loud), { target: { ...SPOTIFY, integratedLufs: -9 }, force: true });
  const r = outcome.record;
  assert.ok(r.before.truePeakDbtp! > -1, 'the input is over the ceiling');
  assert.ok(r.after.truePeakDbtp! <= -1 + 0.05, `after: ${r.after.truePeakDbtp} dBTP`);
  assert.is(r.after.oversAbove0, 0);
});

test('24-bit output is TPDF-dithered (digital silence becomes ±1 LSB noise); float output is not', async () => {
  const tone = sine(FS, 3, 1000, dbToAmp(-20));
  const sig = [concat([tone, new Float32Array(FS)]), concat([tone, new Float32Array(FS)])];
  const silentTail = (planar: Float32Array[]) => planar[0]!.subarray(3 * FS + FS / 10);
  const pcm = await decode((await render(wavSource(sig))).sink.bytes());
  const tail = silentTail(pcm.planar);
  const codes = Array.from(tail, (v) => Math.round(v * 8388608));
  const nonZero = codes.filter((c) => c !== 0).length;
  assert.ok(Math.max(...codes.map(Math.abs)) <= 1, 'dither stays within ±1 LSB');
  // TPDF of ±1 LSB rounds to a non-zero code with probability 1/4.
  assert.ok(
    nonZero > 0.15 * codes.length && nonZero < 0.35 * codes.length,
    `${nonZero} of ${codes.length} codes non-zero`,
  );
  const mean = codes.reduce((s, c) => s + c, 0) / codes.length;
  assert.ok(Math.abs(mean) < 0.02, `dither has no DC (${mean})`);
  const flt = await decode((await render(wavSource(sig), { format: 'float32' })).sink.bytes());
  assert.ok(
    silentTail(flt.planar).every((v) => v === 0),
    'float output of silence is silence',
  );
});

test('the render keeps the source rate, frame count and channel layout (5.1 at 44.1 kHz)', async () => {
  const rate = 44100;
  const planar = Array.from({ length: 6 }, (_, c) => sine(rate, 2, 200 + 100 * c, dbToAmp(-26)));
  const { sink, outcome } = await render(wavSource(planar, 'surround.wav', rate, 0x3f));
  const out = await decode(sink.bytes());
  assert.is(out.rate, rate);
  assert.is(out.planar[0]!.length, planar[0]!.length);
  assert.equal(out.layout, ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR']);
  assert.equal(outcome.stream.channelLayout, out.layout);
});

test('more than 6 dB of limiting: the gain is capped with a plain warning, unless forced', async () => {
  // A dynamic mix (about -22 LUFS, peaks near -3 dBTP) asked for -8 LUFS: about 11 dB of limiting.
  const dynamic = mixLike(FS, 6, 42);
  const target = { ...SPOTIFY, integratedLufs: -8 };
  const capped = (await render(wavSource(dynamic), { target })).outcome.record;
  assert.ok(capped.plan.capped, JSON.stringify(capped.plan));
  assert.match(capped.plan.warning ?? '', /more than the 6 dB allowed: the gain is capped/);
  assert.ok(capped.plan.expectedReductionDb <= 6 + 1e-9);
  assert.ok(capped.limiter.maxReductionDb <= 6.2, `limited ${capped.limiter.maxReductionDb} dB`);
  assert.is(capped.verdict, 'under-target');
  assert.ok(capped.after.truePeakDbtp! <= -1 + 0.05);
  const forced = (await render(wavSource(dynamic), { target, force: true })).outcome.record;
  assert.not.ok(forced.plan.capped);
  assert.ok(forced.plan.forced);
  assert.ok(forced.limiter.maxReductionDb > 6);
  assert.ok(forced.after.truePeakDbtp! <= -1 + 0.05);
});

test('the WASM kernels (undecoded PCM into the limiter) render what the TypeScript reference renders', async () => {
  const { compileBundledMeterKernels } = await import('../../../src/core/dsp/wasm-kernels.ts');
  const kernels = await compileBundledMeterKernels();
  const mix = mixLike(FS, 6, 13);
  const target = { ...SPOTIFY, integratedLufs: -11 };
  const ts = await render(wavSource(mix), { target, force: true });
  const wasm = await render(wavSource(mix), { target, force: true, kernels });
  const a = (await decode(ts.sink.bytes())).planar,
    b = (await decode(wasm.sink.bytes())).planar;
  let worst = 0;
  for (let c = 0; c < 2; c++)
    for (let i = 0; i < a[c]!.length; i++) worst = Math.max(worst, Math.abs(a[c]![i]! - b[c]![i]!));
  assert.ok(worst * 8388608 <= 2, `outputs differ by ${(worst * 8388608).toFixed(1)} LSB`);
  assert.ok(ts.outcome.record.limiter.maxReductionDb > 1, 'the limiter worked');
  assert.ok(Math.abs(ts.outcome.record.after.truePeakDbtp! - wasm.outcome.record.after.truePeakDbtp!) < 0.001);
});

test('a silent input is refused before anything is written', async () => {
  const sink = new MemoryByteSink('x.wav');
  const error = await renderAudio(wavSource([new Float32Array(FS), new Float32Array(FS)]), sink, {
    target: SPOTIFY,
  }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(error?.message ?? 'no error', /no integrated loudness/);
  assert.is(sink.bytes().length, 0);
});

test('cancel stops the render at the next chunk and discards what was written', async () => {
  const mix = mixLike(FS, 12, 9);
  const controller = new AbortController();
  const sink = new MemoryByteSink('x.wav');
  const phases = new Set<string>();
  let progressAfterCancel = 0;
  const error = await renderAudio(wavSource(mix), sink, {
    target: SPOTIFY,
    signal: controller.signal,
    onProgress: (p, phase) => {
      phases.add(phase);
      if (controller.signal.aborted) progressAfterCancel++;
      if (phase === 'render' && p > 40) controller.abort();
    },
  }).then(
    () => null,
    (e: Error) => e,
  );
  assert.match(error?.message ?? 'no error', /render cancelled/);
  assert.not.ok(phases.has('verify'), 'stopped before re-verifying');
  assert.ok(progressAfterCancel <= 1, `${progressAfterCancel} progress calls after cancel`);
  assert.is(sink.bytes().length, 0, 'the partial output is discarded');
});

if (!hasTool('ffmpeg')) console.log('SKIPPED: ffmpeg is not installed; the render cross-check did not run');
else
  test("the render's loudness and true peak agree with ffmpeg's ebur128", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixdesk-render-'));
    try {
      const mix = mixLike(FS, 10, 21);
      const { sink, outcome } = await render(wavSource(mix));
      const file = join(dir, 'out.wav');
      writeFileSync(file, sink.bytes());
      const p = spawnSync('ffmpeg', ['-nostats', '-i', file, '-af', 'ebur128=peak=true', '-f', 'null', '-'], {
        encoding: 'utf8',
      });
      assert.is(p.status, 0, p.stderr.slice(-300));
      const summary = p.stderr.slice(p.stderr.lastIndexOf('Summary:'));
      const i = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1]);
      const tp = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)![1]);
      const r = outcome.record;
      // ffmpeg prints one decimal; its true peak (a different interpolator) may read up to 0.2 dB higher.
      assert.ok(Math.abs(i - r.after.integratedLufs!) <= 0.1, `ffmpeg I ${i}, ours ${r.after.integratedLufs}`);
      assert.ok(Math.abs(i - -14) <= 0.6, `ffmpeg I ${i} vs the -14 LUFS target`);
      assert.ok(tp <= -1 + 0.2, `ffmpeg true peak ${tp} dBTP over the -1 dBTP ceiling`);
      assert.ok(Math.abs(tp - r.after.truePeakDbtp!) <= 0.2, `ffmpeg TP ${tp}, ours ${r.after.truePeakDbtp}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

test.run();
