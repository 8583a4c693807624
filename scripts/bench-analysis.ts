/**
 * `npm run bench:analysis` (Node part): a generated 4-minute 48 kHz 24-bit stereo WAV, full
 * analysis (loudness, LRA, true peak, levels, spectrum, stereo) through the streaming decoder,
 * median of 5 runs, each in a fresh Node process (RSS sampled at every progress step), plus the
 * WASM kernels on the same programme limited to a loud master (the worst case for true peak); and in
 * the same run `ffmpeg -nostats -i f -af ebur128=peak=true -f null -` (loudness and true peak
 * only, on the same file right before each of our runs: every 'speed vs ffmpeg' is the median of
 * those pairs' ratios) where ffmpeg is installed; and the split by time over BENCH_WORKERS worker threads
 * (scripts/bench/analysis-split-node.ts, one fresh process per run). Prints one table. Wall times suffer on a busy machine, so
 * the CPU time of the analysis is printed too (ffmpeg's is not available from spawnSync).
 *
 * Where Chromium is found, the same files are analysed in the browser worker as the analyze
 * page runs them (scripts/bench/analysis-browser.ts: production build, median of 5 after a
 * warm-up), and the page's own time from file chosen to summary painted is measured
 * (scripts/bench/analysis-page-time.ts) with the page splitting the file over BENCH_WORKERS
 * workers (default: this machine's cores, at most 6; hardwareConcurrency pinned), beside its
 * analysis time alone; `--no-browser` skips that.
 *
 * The rules and score (src/core/diagnostics) are timed in this process on each file's result:
 * every rule for every target, median of 200 passes, reported per target.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mixLike } from '../tests/support/signals.ts';
import { writeWav } from '../tests/support/wav-writer.ts';
import { findChromium } from '../tests/support/chromium.ts';
import { median } from './bench/stats.ts';

/** BENCH_SECONDS / BENCH_RUNS shorten a check run (defaults: the 4-minute file, median of 5). */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 240),
  RATE = 48000,
  RUNS = Number(process.env.BENCH_RUNS ?? 5),
  /** Workers of the split rows (Node threads; the page's pinned hardwareConcurrency): BENCH_WORKERS, default the cores, at most 6. */
  WORKERS = Number(process.env.BENCH_WORKERS ?? Math.min(6, cpus().length));

/** Child mode: analyse one file, print timings and memory as JSON ('split:N': over N worker threads). */
async function child(file: string, engine: string): Promise<void> {
  if (engine.startsWith('split:')) {
    const { splitInNode } = await import('./bench/analysis-split-node.ts');
    const r = await splitInNode(file, Number(engine.slice(6)));
    console.log(
      JSON.stringify({
        ms: r.ms,
        cpuMs: r.cpuMs,
        rssBeforeMb: r.rssMb,
        rssPeakMb: r.rssMb,
        i: r.integrated,
        tp: r.truePeak,
      }),
    );
    return;
  }
  const { FileByteSource } = await import('../src/cli/analyze.ts');
  const { analyseAudio } = await import('../src/core/audio/analyse-audio.ts');
  const { compileBundledMeterKernels } = await import('../src/core/dsp/wasm-kernels.ts');
  const kernels = engine === 'wasm' ? await compileBundledMeterKernels() : undefined;
  const source = new FileByteSource(file);
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  // ru_maxrss is inherited from the spawning parent on Linux, so sample RSS as the analysis goes.
  const onProgress = () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await analyseAudio(source, { onProgress, ...(kernels ? { kernels } : {}) });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  source.close();
  console.log(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBeforeMb: rssBefore / 2 ** 20,
      rssPeakMb: rssPeak / 2 ** 20,
      i: r.result.loudness.integrated.value,
      tp: r.result.peaks.truePeak.value,
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-bench-'));
  const file = join(dir, 'mix-4min-48k-24bit.wav');
  const loud = join(dir, 'loud-master-4min-48k-24bit.wav');
  try {
    const mix = mixLike(RATE, SECONDS, 42);
    writeFileSync(file, writeWav(mix, { sampleRate: RATE, format: 'pcm24' }));
    // The same programme limited to a loud master (+1.5 dBTP): true peak cannot skip anything.
    writeFileSync(
      loud,
      writeWav(
        mix.map((c) => c.map((v) => 0.97 * Math.tanh(10 * v))),
        { sampleRate: RATE, format: 'pcm24' },
      ),
    );
    const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
    /** Every ffmpeg time, by input: the ffmpeg rows. */
    const ffmpegTimes = new Map<string, number[]>();
    const ffmpegOnce = (input: string): number => {
      const t0 = performance.now();
      const p = spawnSync('ffmpeg', ['-nostats', '-i', input, '-af', 'ebur128=peak=true', '-f', 'null', '-'], {
        encoding: 'utf8',
      });
      if (p.status !== 0) throw new Error(p.stderr.slice(-400));
      const ms = performance.now() - t0;
      ffmpegTimes.set(input, [...(ffmpegTimes.get(input) ?? []), ms]);
      return ms;
    };
    /**
     * ffmpeg on the same file right before each of our runs, and the speed-up as the median of
     * the pairs' ratios. This host's speed drifts by a third from one minute to the next (ffmpeg's
     * median was 1439 ms in one run and 2570 ms in another of the same evening), so a ratio to
     * an ffmpeg timed minutes earlier measured the drift as much as the code.
     */
    class VsFfmpeg {
      private readonly ffmpeg: number[] = [];
      constructor(private readonly input: string) {}
      readonly beforeRun = (): void => {
        if (hasFfmpeg) this.ffmpeg.push(ffmpegOnce(this.input));
      };
      speedUp(ours: readonly number[]): string {
        return hasFfmpeg ? `${median(ours.map((ms, i) => this.ffmpeg[i]! / ms)).toFixed(2)}x` : 'n/a';
      }
    }
    type Run = { ms: number; cpuMs: number; rssBeforeMb: number; rssPeakMb: number; i: number; tp: number };
    const measure = (engine: string, input = file): { runs: Run[]; vs: VsFfmpeg } => {
      const vs = new VsFfmpeg(input);
      const runs = Array.from({ length: RUNS }, () => {
        vs.beforeRun();
        const p = spawnSync(
          process.execPath,
          ['--import', 'tsx', new URL(import.meta.url).pathname, '--child', input, engine],
          { encoding: 'utf8' },
        );
        if (p.status !== 0) throw new Error(p.stderr);
        return JSON.parse(p.stdout.trim().split('\n').pop()!) as Run;
      });
      return { runs, vs };
    };
    const engines: [string, { runs: Run[]; vs: VsFfmpeg }][] = [
      ['mixdesk, TS reference kernels, Node', measure('ts')],
      ['mixdesk, WASM kernels, Node', measure('wasm')],
      ['mixdesk, WASM kernels, Node, loud master', measure('wasm', loud)],
      [`mixdesk, WASM kernels, Node, split over ${WORKERS} worker threads`, measure(`split:${WORKERS}`)],
      [
        `mixdesk, WASM kernels, Node, split over ${WORKERS} worker threads, loud master`,
        measure(`split:${WORKERS}`, loud),
      ],
    ];
    const rows: string[][] = [
      [
        'engine',
        'median wall',
        'median CPU',
        'realtime (wall)',
        'peak RSS (sampled)',
        'speed vs ffmpeg (wall, paired)',
        'I / TP',
      ],
    ];
    for (const [label, { runs, vs }] of engines) {
      const ms = median(runs.map((r) => r.ms));
      rows.push([
        `${label} (full analysis)`,
        `${ms.toFixed(0)} ms`,
        `${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms`,
        `${((SECONDS * 1000) / ms).toFixed(0)}x`,
        `${median(runs.map((r) => r.rssPeakMb)).toFixed(0)} MB (${median(runs.map((r) => r.rssBeforeMb)).toFixed(0)} MB before)`,
        vs.speedUp(runs.map((r) => r.ms)),
        `${runs[0]!.i.toFixed(2)} LUFS / ${runs[0]!.tp.toFixed(2)} dBTP`,
      ]);
    }
    // Rules + score: what the page and the CLI add after the measurement.
    {
      const { analyseAudio } = await import('../src/core/audio/analyse-audio.ts');
      const { FileByteSource } = await import('../src/cli/analyze.ts');
      const { compileBundledMeterKernels } = await import('../src/core/dsp/wasm-kernels.ts');
      const { DELIVERY_TARGETS } = await import('../src/core/diagnostics/delivery-targets.ts');
      const { diagnose } = await import('../src/core/diagnostics/diagnose.ts');
      const kernels = await compileBundledMeterKernels();
      for (const [label, input] of [
        ['mix', file],
        ['loud master', loud],
      ] as const) {
        const source = new FileByteSource(input);
        const { result, stream } = await analyseAudio(source, { kernels });
        source.close();
        const { sourceFactsFrom } = await import('../src/core/diagnostics/diagnostic.ts');
        const facts = sourceFactsFrom(stream.encoding);
        const passes: number[] = [];
        let fired = 0;
        for (let i = 0; i < 200; i++) {
          const t0 = performance.now();
          for (const t of DELIVERY_TARGETS) fired = diagnose(result, t, facts).diagnostics.length;
          passes.push((performance.now() - t0) / DELIVERY_TARGETS.length);
        }
        rows.push([
          `rules + score, one target (${label}; ${fired} diagnostics for the last target)`,
          `${median(passes).toFixed(3)} ms`,
          '-',
          '-',
          '-',
          '-',
          '-',
        ]);
      }
    }
    if (findChromium() && !process.argv.includes('--no-browser')) {
      const { measurePageTime } = await import('./bench/analysis-page-time.ts');
      for (const [suffix, input] of [
        ['', file],
        [', loud master', loud],
      ] as const) {
        const painted = new VsFfmpeg(input),
          analysis = new VsFfmpeg(input);
        const m = await measurePageTime(input, RUNS, WORKERS, (kind) =>
          (kind === 'painted' ? painted : analysis).beforeRun(),
        );
        rows.push(
          [
            `analyze page split over ${m.threads} workers (hardwareConcurrency ${WORKERS}): full analysis${suffix}`,
            `${m.analysisMedianMs.toFixed(0)} ms`,
            '-',
            `${((SECONDS * 1000) / m.analysisMedianMs).toFixed(0)}x`,
            '-',
            analysis.speedUp(m.analysisTimesMs),
            `first on a fresh page ${m.firstAnalysisMedianMs.toFixed(0)} ms`,
          ],
          [
            `analyze page, ${m.threads} workers: file chosen to summary painted${suffix}`,
            `${m.medianMs.toFixed(0)} ms`,
            '-',
            `${((SECONDS * 1000) / m.medianMs).toFixed(0)}x`,
            '-',
            painted.speedUp(m.timesMs),
            `runs ${m.timesMs.map((t) => t.toFixed(0)).join(' ')}`,
          ],
        );
      }
      const { measureAnalysisInBrowser } = await import('./bench/analysis-browser.ts');
      const { missingWebKitParts } = await import('../tests/support/webdriver.ts');
      // The same worker in WebKit (WebKitGTK MiniBrowser over WebDriver) where it is installed.
      const engines = missingWebKitParts().length ? (['chromium'] as const) : (['chromium', 'webkit'] as const);
      const runsIn = engines.flatMap(
        (engine) =>
          [
            [engine, file, ''],
            [engine, loud, ', loud master'],
          ] as const,
      );
      for (const [engine, input, suffix] of runsIn) {
        const label = `mixdesk, one browser worker (${engine === 'webkit' ? 'WebKit' : 'Chromium'})${suffix}`;
        const vs = new VsFfmpeg(input);
        const m = await measureAnalysisInBrowser(input, RUNS, engine, vs.beforeRun);
        rows.push([
          `${label} (full analysis)`,
          `${m.medianMs.toFixed(0)} ms`,
          '-',
          `${((SECONDS * 1000) / m.medianMs).toFixed(0)}x`,
          m.peakMemoryMB === null ? 'n/a' : `${m.peakMemoryMB.toFixed(0)} MB (renderer)`,
          vs.speedUp(m.timesMs),
          '-',
        ]);
      }
    }
    if (!hasFfmpeg) rows.push(['ffmpeg', 'not installed', '-', '-', '-', '-', '-']);
    for (const [input, times] of ffmpegTimes) {
      const ms = median(times);
      rows.push([
        `ffmpeg ebur128=peak=true (loudness + TP only, whole process)${input === loud ? ', loud master' : ''}`,
        `${ms.toFixed(0)} ms`,
        '-',
        `${((SECONDS * 1000) / ms).toFixed(0)}x`,
        '-',
        '1.00x',
        `${times.length} runs, ${Math.min(...times).toFixed(0)}-${Math.max(...times).toFixed(0)} ms`,
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(
      `bench:analysis: ${SECONDS / 60}-minute ${RATE / 1000} kHz 24-bit stereo WAV, median of ${RUNS}, ${process.version}`,
    );
    for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2] ?? 'ts');
else await main();
