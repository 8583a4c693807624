/**
 * Analysis worker entry: analyses off the main thread, behind comlink. A thin shell over
 * src/platform/analysis/run-analysis.ts (the main-thread fallback runs the same code).
 * Progress goes back through a comlink.proxy callback, released when the job ends so its
 * message port does not outlive it; `cancel(job)` flags the job, which stops at its next chunk.
 */
import { expose, releaseProxy } from 'comlink';
import type { AnalysisWorkerApi, ProgressCallback } from '../src/platform/analysis/analysis-api.ts';
import { AnalysisJobs, analyseBlob, analyseFramedBlob, analysePlanar, truePeaksOfBlob } from './analysis/run-analysis.ts';

const jobs = new AnalysisJobs();

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
    return withProgress(onProgress, () => jobs.run(job, (signal) => analyseBlob(file, name, onProgress, signal, kernels, parts)));
  },
  analyseFramed(job, file, name, header, onProgress, kernels) {
    return withProgress(onProgress, () => jobs.run(job, (signal) => analyseFramedBlob(file, name, header, onProgress, signal, kernels)));
  },
  analysePlanar(job, name, stream, planar, onProgress) {
    return withProgress(onProgress, () => jobs.run(job, (signal) => analysePlanar(name, stream, planar, onProgress, signal)));
  },
  truePeaks(job, file, name, kernels) {
    return jobs.run(job, (signal) => truePeaksOfBlob(file, name, signal, kernels));
  },
  cancel(job) {
    jobs.cancel(job);
  },
};

expose(api);
