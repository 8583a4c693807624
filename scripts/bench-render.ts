/**
 * `npm run bench:render`: the corrective render (analyse, gain, true-peak limiter, 24-bit TPDF
 * WAV, re-verify) of the 4-minute 48 kHz 24-bit stereo mix-like file and of a loud master
 * (the same programme driven into a tanh limiter), to the Spotify target (-14 LUFS, -1 dBTP),
 * median of 5:
 *   - in Node, each run a fresh process (WASM kernels; time measured inside, from input opened to
 *     re-verification done; CPU time too);
 *   - in the browser's render worker (headless Chromium, production build; scripts/bench/render-browser.ts)
 *     where Chromium is found (`--no-browser` skips it);
 *   - beside it, in the same run, `ffmpeg -af loudnorm` two-pass linear to the same target
 *     (pass 1 measures, pass 2 applies with the measured values and linear=true, writing 24-bit
 *     WAV), timed as whole processes. Loudnorm falls back to its dynamic mode when a linear gain
 *     would break the true-peak target; its output's normalization_type says which ran.
 * Each row prints the output's true peak as OUR meter reads it (the same analysis for both),
 * and its integrated loudness.
 *
 * The 1 GB case: a ~1 GB WAV (about an hour of 48 kHz 24-bit stereo) is rendered disk to disk
 * in a child process with RSS sampled at every progress step (`--no-memory` skips it; it takes
 * a minute or two). BENCH_SECONDS / BENCH_RUNS / BENCH_MEMORY_MB shorten a check run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findChromium } from '../tests/support/chromium.ts';
import { loudMasterWavFile, mixWavFile } from '../tests/support/analysis-files.ts';
import { writeLongWav } from '../tests/support/long-wav.ts';
import { median } from './bench/stats.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 240),
  RUNS = Number(process.env.BENCH_RUNS ?? 5),
  MEMORY_MB = Number(process.env.BENCH_MEMORY_MB ?? 1024);
const TARGET = { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1 };

interface Run {
  ms: number;
  cpuMs: number;
  tp: number | null;
  i: number | null;
  limitDb: number;
}

/** Child mode: one render of `input` to `output`, printed as JSON. */
async function child(input: string, output: string): Promise<void> {
  const { FileByteSource } = await import('../src/cli/analyze.ts');
  const { FileByteSink } = await import('../src/cli/file-sink.ts');
  const { renderAudio } = await import('../src/core/audio/render-audio.ts');
  const { compileBundledMeterKernels } = await import('../src/core/dsp/wasm-kernels.ts');
  const kernels = await compileBundledMeterKernels();
  const t0 = performance.now(),
    c0 = process.cpuUsage();
  const source = new FileByteSource(input);
  const sink = new FileByteSink(output);
  const { record } = await renderAudio(source, sink, { target: TARGET, kernels });
  sink.release();
  source.close();
  const cpu = process.cpuUsage(c0);
  const run: Run = {
    ms: performance.now() - t0,
    cpuMs: (cpu.user + cpu.system) / 1000,
    tp: record.after.truePeakDbtp,
    i: record.after.integratedLufs,
    limitDb: record.limiter.maxReductionDb,
  };
  console.log(JSON.stringify(run));
}

const self = fileURLToPath(import.meta.url);

function nodeRender(input: string, output: string): Run {
  const p = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', input, output], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(p.stderr);
  return JSON.parse(p.stdout.trim().split('\n').pop()!) as Run;
}

/** Our meter's reading of a file (the same analysis for every engine's output). */
async function measureFile(path: string): Promise<{ i: number | null; tp: number | null }> {
  const { FileByteSource } = await import('../src/cli/analyze.ts');
  const { analyseAudio } = await import('../src/core/audio/analyse-audio.ts');
  const { compileBundledMeterKernels } = await import('../src/core/dsp/wasm-kernels.ts');
  const source = new FileByteSource(path);
  const { result } = await analyseAudio(source, { kernels: await compileBundledMeterKernels() });
  source.close();
  return { i: result.loudness.integrated.value, tp: result.peaks.truePeak.value };
}

/** Two-pass linear loudnorm to the target; returns the wall time of both passes and the mode that ran. */
function loudnorm(input: string, output: string): { ms: number; mode: string } {
  const filter = `loudnorm=I=${TARGET.integratedLufs}:TP=${TARGET.ceilingDbtp}:LRA=50`;
  const t0 = performance.now();
  const p1 = spawnSync(
    'ffmpeg',
    ['-nostats', '-hide_banner', '-i', input, '-af', `${filter}:print_format=json`, '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  if (p1.status !== 0) throw new Error(p1.stderr.slice(-400));
  const m = JSON.parse(p1.stderr.slice(p1.stderr.lastIndexOf('{'))) as Record<string, string>;
  const measured = `measured_I=${m.input_i}:measured_TP=${m.input_tp}:measured_LRA=${m.input_lra}:measured_thresh=${m.input_thresh}:offset=${m.target_offset}`;
  const p2 = spawnSync(
    'ffmpeg',
    [
      '-nostats',
      '-hide_banner',
      '-y',
      '-i',
      input,
      '-af',
      `${filter}:${measured}:linear=true:print_format=json`,
      '-ar',
      '48000',
      '-c:a',
      'pcm_s24le',
      output,
    ],
    { encoding: 'utf8' },
  );
  const ms = performance.now() - t0;
  if (p2.status !== 0) throw new Error(p2.stderr.slice(-400));
  const out = JSON.parse(p2.stderr.slice(p2.stderr.lastIndexOf('{'))) as Record<string, string>;
  return { ms, mode: out.normalization_type ?? '?' };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-render-'));
  const inputs = [
    ['mix', mixWavFile(SECONDS)],
    ['loud master', loudMasterWavFile(SECONDS)],
  ] as const;
  const rows: string[][] = [
    ['engine', 'input', 'median wall', 'median CPU', 'realtime', 'vs loudnorm', 'output I / TP (our meter)', 'note'],
  ];
  const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  const browser = findChromium() && !process.argv.includes('--no-browser');
  try {
    for (const [label, input] of inputs) {
      const ours = Array.from({ length: RUNS }, () => nodeRender(input, join(dir, 'ours.wav')));
      const oursMs = median(ours.map((r) => r.ms));
      let ffMs = NaN;
      let ffRow: string[] | null = null;
      if (hasFfmpeg) {
        const runs = Array.from({ length: RUNS }, () => loudnorm(input, join(dir, 'loudnorm.wav')));
        ffMs = median(runs.map((r) => r.ms));
        const m = await measureFile(join(dir, 'loudnorm.wav'));
        ffRow = [
          'ffmpeg loudnorm two-pass linear (both passes, whole processes)',
          label,
          `${ffMs.toFixed(0)} ms`,
          '-',
          `${((SECONDS * 1000) / ffMs).toFixed(0)}x`,
          '1.00x',
          `${m.i?.toFixed(2)} LUFS / ${m.tp?.toFixed(2)} dBTP`,
          `normalization_type ${[...new Set(runs.map((r) => r.mode))].join('/')}`,
        ];
      }
      const speed = (ms: number) => (hasFfmpeg ? `${(ffMs / ms).toFixed(2)}x` : 'n/a');
      rows.push([
        'mixdesk render + re-verify, WASM kernels, Node',
        label,
        `${oursMs.toFixed(0)} ms`,
        `${median(ours.map((r) => r.cpuMs)).toFixed(0)} ms`,
        `${((SECONDS * 1000) / oursMs).toFixed(0)}x`,
        speed(oursMs),
        `${ours[0]!.i?.toFixed(2)} LUFS / ${ours[0]!.tp?.toFixed(2)} dBTP`,
        `limiter up to ${ours[0]!.limitDb.toFixed(1)} dB`,
      ]);
      if (browser) {
        const { measureRenderInBrowser } = await import('./bench/render-browser.ts');
        const m = await measureRenderInBrowser(input, RUNS, TARGET);
        rows.push([
          'mixdesk render + re-verify, browser worker (Chromium)',
          label,
          `${m.medianMs.toFixed(0)} ms`,
          '-',
          `${((SECONDS * 1000) / m.medianMs).toFixed(0)}x`,
          speed(m.medianMs),
          `${m.i?.toFixed(2)} LUFS / ${m.tp?.toFixed(2)} dBTP`,
          `output in ${m.storage}`,
        ]);
      }
      if (ffRow) rows.push(ffRow);
    }
    if (!hasFfmpeg) rows.push(['ffmpeg', 'not installed', '-', '-', '-', '-', '-', '-']);
    if (!process.argv.includes('--no-memory')) {
      const big = join(dir, 'long.wav');
      const frames = writeLongWav(big, MEMORY_MB);
      const p = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          fileURLToPath(new URL('../tests/support/render-memory-child.ts', import.meta.url)),
          big,
          join(dir, 'long-out.wav'),
        ],
        { encoding: 'utf8' },
      );
      if (p.status !== 0) throw new Error(p.stderr.slice(-500));
      const m = JSON.parse(p.stdout.trim().split('\n').pop()!) as {
        rssBeforeMb: number;
        rssPeakMb: number;
        ms: number;
      };
      rows.push([
        `mixdesk render + re-verify, Node, ${MEMORY_MB} MB input disk to disk`,
        `${(frames / 48000 / 60).toFixed(0)} min`,
        `${m.ms.toFixed(0)} ms`,
        '-',
        `${(frames / 48 / m.ms).toFixed(0)}x`,
        '-',
        '-',
        `RSS ${m.rssBeforeMb.toFixed(0)} -> peak ${m.rssPeakMb.toFixed(0)} MB`,
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(
      `bench:render: ${SECONDS / 60}-minute 48 kHz 24-bit stereo WAV to ${TARGET.name} (${TARGET.integratedLufs} LUFS, ${TARGET.ceilingDbtp} dBTP), median of ${RUNS}, ${process.version}`,
    );
    for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else await main();
