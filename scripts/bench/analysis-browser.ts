/**
 * Browser part of the analysis benchmark: full analysis of a WAV in the production build's
 * analysis worker (workers/analysis.worker.ts, as bundled by Vite) in headless Chromium,
 * served by the real app server (MIXDESK_DIST or dist/). The file reaches the worker as a File
 * (read by slices there, as on the analyze page); the page talks to the worker with comlink's
 * wire messages, so no test hook is needed in the app.
 *
 *   measureAnalysisInBrowser(wavPath, runs)  -> median/all worker times and peak memory
 *   node --import tsx scripts/bench/analysis-browser.ts [file.wav] [runs]   (prints a table;
 *   without a file, two 4-minute 48 kHz 24-bit stereo WAVs are generated: a mix-like programme
 *   and the same limited to a loud master, where true peak costs most)
 *
 * Times are measured in the page around the worker call (post to result), after one warm-up
 * run that compiles the worker's code and the WASM kernels. Memory is the peak resident size
 * of Chromium's renderer processes (the page and its workers run there), sampled every 20 ms
 * from /proc (Linux only; null elsewhere).
 */
import { readFileSync } from 'node:fs';
import { rendererRssMb } from '../../tests/support/analysis-memory.ts';
import { cpus } from 'node:os';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchProfile, type Engine, type Page } from '../../tests/support/browser-driver.ts';
import { loudMasterWavFile, mixWavFile } from '../../tests/support/analysis-files.ts';
import { startAppServer } from '../../tests/support/app-server.ts';
import { benchDistDir, openWithFile, workerAsset } from './worker-page.ts';
import { median } from './stats.ts';

export interface BrowserMeasurement {
  medianMs: number;
  timesMs: number[];
  peakMemoryMB: number | null;
}
export type Kernels = 'wasm' | 'ts';
export type Mode = 'single' | 'split' | 'true-peak-only' | 'no-true-peak';

/**
 * One analysis of the picked file: 'single' runs everything in one worker; 'split' runs
 * everything but true peak in one worker and true peak in a second (as the analyze page does);
 * 'no-true-peak' and 'true-peak-only' time the two halves of the split alone.
 * Returns the wall time in the page, from posting to the last answer.
 */
async function runInPage(
  page: Page,
  workerUrl: string,
  mode: Mode,
  kernels: Kernels,
): Promise<{ ms: number; workerMs: number[]; integrated: number | null }> {
  return page.evaluate(
    async ({ workerUrl, mode, kernels }) => {
      const file = (document.getElementById('bench-file') as HTMLInputElement).files![0]!;
      const g = globalThis as unknown as { benchWorkers?: Worker[] };
      g.benchWorkers ??= [];
      while (g.benchWorkers.length < 2) g.benchWorkers.push(new Worker(workerUrl, { type: 'module' }));
      // One comlink APPLY call. A progress callback is a comlink proxy port that nobody answers
      // (the worker does not wait for it).
      type Answer = {
        ok: boolean;
        elapsedMs?: number;
        message?: string;
        result?: { loudness: { integrated: { value: number | null } } };
      };
      const call = (w: Worker, method: string, args: unknown[], withProgress: boolean) =>
        new Promise<Answer>((resolve) => {
          const id = `bench-${method}-${Math.random()}`;
          const progress = new MessageChannel();
          const onMessage = (e: MessageEvent) => {
            if (e.data?.id === id) {
              w.removeEventListener('message', onMessage);
              progress.port1.close();
              resolve(e.data.value);
            }
          };
          w.addEventListener('message', onMessage);
          const wire = args.map((value) => ({ type: 'RAW', value }));
          if (withProgress) wire.splice(3, 0, { type: 'HANDLER', name: 'proxy', value: progress.port2 } as never);
          w.postMessage(
            { id, type: 'APPLY', path: [method], argumentList: wire },
            withProgress ? [progress.port2] : [],
          );
        });
      const [w0, w1] = g.benchWorkers as [Worker, Worker];
      const job = Date.now();
      const t0 = performance.now();
      const outcomes =
        mode === 'single' || mode === 'no-true-peak'
          ? [
              await call(
                w0,
                'analyseBlob',
                [job, file, file.name, kernels, mode === 'single' ? 'all' : 'no-true-peak'],
                true,
              ),
            ]
          : mode === 'true-peak-only'
            ? [await call(w1, 'truePeaks', [job, file, file.name, kernels], false)]
            : await Promise.all([
                call(w0, 'analyseBlob', [job, file, file.name, kernels, 'no-true-peak'], true),
                call(w1, 'truePeaks', [job, file, file.name, kernels], false),
              ]);
      const ms = performance.now() - t0;
      const failed = outcomes.find((o) => !o.ok);
      if (failed) throw new Error(failed.message);
      return {
        ms,
        workerMs: outcomes.map((o) => o.elapsedMs!),
        integrated: outcomes[0]!.result?.loudness.integrated.value ?? null,
      };
    },
    { workerUrl, mode, kernels },
  );
}

export interface DetailedMeasurement extends BrowserMeasurement {
  workerMedianMs: number;
  baselineMemoryMB: number | null;
  integrated: number | null;
}

/** Measures `runs` analyses (after one warm-up) in the chosen mode with the chosen kernels. */
export async function measureAnalysisDetailed(
  wavPath: string,
  runs: number,
  options: { mode?: Mode; kernels?: Kernels; engine?: Engine; beforeEachRun?: () => void } = {},
): Promise<DetailedMeasurement> {
  const mode = options.mode ?? 'split',
    kernels = options.kernels ?? 'wasm',
    engine = options.engine ?? 'chromium';
  const distDir = benchDistDir();
  const server = await startAppServer();
  const browser = await launchProfile({}, engine);
  let peak: number | null = null;
  // Renderer memory is read from Chromium's processes only.
  const sampler = setInterval(() => {
    const mb = engine === 'chromium' ? rendererRssMb() : null;
    if (mb !== null) peak = Math.max(peak ?? 0, mb);
  }, 20);
  try {
    const page = await browser.newPage();
    await openWithFile(page, server.url, wavPath);
    const url = workerAsset('analysis.worker', distDir);
    const first = await runInPage(page, url, mode, kernels);
    const baseline = engine === 'chromium' ? rendererRssMb() : null;
    peak = baseline;
    const timesMs: number[] = [],
      workerMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      options.beforeEachRun?.();
      const r = await runInPage(page, url, mode, kernels);
      timesMs.push(r.ms);
      workerMs.push(...r.workerMs);
    }
    return {
      medianMs: median(timesMs),
      timesMs,
      peakMemoryMB: peak,
      workerMedianMs: median(workerMs),
      baselineMemoryMB: baseline,
      integrated: first.integrated,
    };
  } finally {
    clearInterval(sampler);
    await browser.close();
    await server.close();
  }
}

/**
 * Full analysis of `wavPath` in one worker (WASM kernels), `runs` times: the page's split over
 * several workers is measured through the page itself (analysis-page-time.ts).
 */
export async function measureAnalysisInBrowser(
  wavPath: string,
  runs: number,
  engine: Engine = 'chromium',
  beforeEachRun?: () => void,
): Promise<BrowserMeasurement> {
  const { medianMs, timesMs, peakMemoryMB } = await measureAnalysisDetailed(wavPath, runs, {
    mode: 'single',
    engine,
    ...(beforeEachRun ? { beforeEachRun } : {}),
  });
  return { medianMs, timesMs, peakMemoryMB };
}

async function main(): Promise<void> {
  const files = process.argv[2] ? [process.argv[2]] : [mixWavFile(240, 48000, 'pcm24'), loudMasterWavFile(240)];
  const runs = Number(process.argv[3] ?? 5);
  console.log(
    `Browser analysis (headless Chromium, production build, median of ${runs} after 1 warm-up); CPU cores: ${cpus().length}`,
  );
  console.log(
    '| file | setup | median wall ms | median per-worker ms | realtime x | runs ms | peak renderer RSS MB (before) | I LUFS |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const wav of files) {
    const audioSeconds = wavSeconds(wav);
    const setups: [string, Mode, Kernels][] = [
      ['1 worker, WASM', 'single', 'wasm'],
      ['2 workers (true peak split), WASM', 'split', 'wasm'],
      ['  split half 1 alone: all but true peak, WASM', 'no-true-peak', 'wasm'],
      ['  split half 2 alone: decode + true peak, WASM', 'true-peak-only', 'wasm'],
      ['1 worker, TS', 'single', 'ts'],
      ['2 workers (true peak split), TS', 'split', 'ts'],
    ];
    for (const [name, mode, kernels] of setups) {
      const m = await measureAnalysisDetailed(wav, runs, { mode, kernels });
      console.log(
        `| ${basename(wav)} | ${name} | ${m.medianMs.toFixed(0)} | ${m.workerMedianMs.toFixed(0)} | ${(audioSeconds / (m.medianMs / 1000)).toFixed(0)} | ${m.timesMs.map((t) => t.toFixed(0)).join(' ')} | ${m.peakMemoryMB?.toFixed(0) ?? 'n/a'} (${m.baselineMemoryMB?.toFixed(0) ?? 'n/a'}) | ${m.integrated?.toFixed(2) ?? 'n/a'} |`,
      );
    }
  }
}

/** Duration of a canonical PCM WAV from its header (fmt at 12, data size at 40). */
function wavSeconds(path: string): number {
  const head = readFileSync(path).subarray(0, 44);
  const v = new DataView(head.buffer, head.byteOffset, 44);
  return v.getUint32(40, true) / v.getUint32(28, true);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
