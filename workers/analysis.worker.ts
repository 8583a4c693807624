/**
 * Analysis worker entry: one analysis at a time per call, off the main thread, behind comlink.
 * A thin shell over src/platform/analysis/run-analysis.ts (the main-thread fallback runs the
 * same code). Progress goes back through a comlink.proxy callback; `cancel(job)` flags the job,
 * which stops at its next chunk.
 */
import { expose } from 'comlink';
import type { AnalysisWorkerApi } from '../src/platform/analysis/analysis-api.ts';
import { AnalysisJobs, analyseBlob, analysePlanar, truePeaksOfBlob } from '../src/platform/analysis/run-analysis.ts';

const jobs = new AnalysisJobs();

const api: AnalysisWorkerApi = {
  analyseBlob(job, file, name, onProgress, kernels, parts) {
    return jobs.run(job, (signal) => analyseBlob(file, name, onProgress, signal, kernels, parts));
  },
  truePeaks(job, file, name, kernels) {
    return jobs.run(job, (signal) => truePeaksOfBlob(file, name, signal, kernels));
  },
  analysePlanar(job, name, stream, planar, onProgress) {
    return jobs.run(job, (signal) => analysePlanar(name, stream, planar, onProgress, signal));
  },
  cancel(job) {
    jobs.cancel(job);
  },
};

expose(api);
