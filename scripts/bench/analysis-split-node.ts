/**
 * The split analysis by time (src/core/analysis/analysis-split.ts) in Node: one worker thread
 * per slice, each reading its own byte range of the file with the WASM kernels, merged here.
 * The threads start and compile the kernels first; the time is from posting the slices to the
 * merged result (as the one-pass child's time starts after its kernels compile).
 *
 *   splitInNode(wavPath, workers) -> { ms, cpuMs, slices, integrated, truePeak, rssMb }
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { AnalysisPart, AnalysisSpan } from '../../src/core/dsp/analyser.ts';

interface Ready {
  ready: true;
}

async function sliceWorker(file: string): Promise<void> {
  const { FileByteSource } = await import('../../src/cli/analyze.ts');
  const { analyseSlice } = await import('../../src/core/analysis/analysis-split.ts');
  const { compileBundledMeterKernels } = await import('../../src/core/dsp/wasm-kernels.ts');
  const kernels = await compileBundledMeterKernels();
  const port = parentPort!;
  port.on('message', (span: AnalysisSpan) => {
    const source = new FileByteSource(file);
    void analyseSlice(source, span, { kernels }).then((part) => {
      source.close();
      port.postMessage(part);
    });
  });
  port.postMessage({ ready: true } satisfies Ready);
}

export async function splitInNode(
  file: string,
  workers: number,
): Promise<{
  ms: number;
  cpuMs: number;
  slices: number;
  integrated: number | null;
  truePeak: number | null;
  rssMb: number;
}> {
  const { FileByteSource } = await import('../../src/cli/analyze.ts');
  const { mergeParts, planSlices, splitStreamOf } = await import('../../src/core/analysis/analysis-split.ts');
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); });`;
  const threads = Array.from({ length: workers }, () => new Worker(bootstrap, { eval: true, workerData: file }));
  try {
    await Promise.all(threads.map((t) => new Promise((resolve) => t.once('message', resolve))));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const header = new FileByteSource(file);
    const stream = (await splitStreamOf(header))!;
    header.close();
    const plan = planSlices(stream.sampleRate, stream.frames, workers);
    const parts = await Promise.all(
      plan.map(
        (span, k) =>
          new Promise<AnalysisPart>((resolve, reject) => {
            threads[k]!.once('message', resolve);
            threads[k]!.once('error', reject);
            threads[k]!.postMessage(span);
          }),
      ),
    );
    const result = mergeParts(stream, parts);
    return {
      ms: performance.now() - t0,
      // CPU of the whole process: every thread's.
      cpuMs: ((c) => (c.user + c.system) / 1000)(process.cpuUsage(c0)),
      // The process with its threads still running (their memory is the process's).
      rssMb: process.memoryUsage().rss / 2 ** 20,
      slices: plan.length,
      integrated: result.loudness.integrated.value,
      truePeak: result.peaks.truePeak.value,
    };
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}

if (!isMainThread) await sliceWorker(workerData as string);
