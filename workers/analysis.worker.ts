/**
 * Analysis worker entry: analyses off the main thread, behind comlink. A thin shell over the
 * core's jobs (src/core/analysis/analysis-jobs.ts; the main-thread fallback runs the same
 * code) plus the worker-only WebCodecs path. The contract it implements is
 * src/core/analysis/worker-contract.ts. Progress goes back through a comlink.proxy callback,
 * released when the job ends so its message port does not outlive it; `cancel(job)` flags the
 * job, which stops at its next chunk.
 */
import { expose, releaseProxy } from 'comlink';
import { kernelsFor, makeAnalysisJobs } from '../src/core/analysis/analysis-jobs.ts';
import type { AnalysisWorkerApi, ProgressCallback } from '../src/core/analysis/worker-contract.ts';
import { analyseWithWebCodecs } from './analysis/webcodecs-analysis.ts';

const jobs = makeAnalysisJobs({
  now: () => performance.now(),
  yieldToEvents: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
});

/** Runs a job, then releases its progress proxy (a comlink Remote function). */
async function withProgress<T>(onProgress: ProgressCallback, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    const release = (onProgress as unknown as { [releaseProxy]?: () => Promise<void> })[releaseProxy];
    void release?.call(onProgress)?.catch(() => {});
  }
}

const api: AnalysisWorkerApi = {
  analyseBlob(job, file, name, onProgress, kernels, parts) {
    return withProgress(onProgress, () => jobs.analyseBlob(job, file, name, onProgress, kernels, parts));
  },
  analyseFramed(job, file, name, header, onProgress, kernels) {
    return withProgress(onProgress, () =>
      jobs.run(job, async (signal) =>
        analyseWithWebCodecs(file, name, header, onProgress, signal, await kernelsFor(kernels ?? 'wasm')),
      ),
    );
  },
  analysePlanar(job, name, stream, planar, onProgress) {
    return withProgress(onProgress, () => jobs.analysePlanar(job, name, stream, planar, onProgress));
  },
  truePeaks: (job, file, name, kernels) => jobs.truePeaks(job, file, name, kernels),
  analyseSlice(job, file, name, span, onProgress, kernels) {
    return withProgress(onProgress, () => jobs.analyseSlice(job, file, name, span, onProgress, kernels));
  },
  cancel: (job) => jobs.cancel(job),
  warm: (kernels) => jobs.warm(kernels),
};

expose(api);
