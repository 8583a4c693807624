/**
 * Render worker entry: the corrective render (src/core/audio/render-audio.ts) off the main
 * thread, behind comlink; the contract is src/core/analysis/render-contract.ts. The source File
 * is read by slices; the output goes to an origin-private file (OpfsByteSink) and comes back as
 * a File the page saves where the user chooses. `cancel(job)` aborts the job's signal: it stops at
 * its next chunk, its output file is deleted and every buffer it held is dropped.
 */
import { expose } from 'comlink';
import { kernelsFor } from '../src/core/analysis/analysis-jobs.ts';
import { ReadAheadBlobSource } from '../src/core/analysis/read-ahead-source.ts';
import type { RenderJobOutcome, RenderWorkerApi } from '../src/core/analysis/render-contract.ts';
import { RENDER_CANCELLED, renderAudio } from '../src/core/audio/render-audio.ts';
import { MemoryBlobSink, OpfsByteSink } from './render/opfs-sink.ts';
import { releaseCallback } from './release-callback.ts';

const running = new Map<number, AbortController>();

/** The output's name: the input's with the target, always .wav. */
function outputName(name: string, targetId: string): string {
  return `${name.replace(/\.[^.]*$/, '')}-${targetId}.wav`;
}

const api: RenderWorkerApi = {
  async render(job, file, name, request, onProgress): Promise<RenderJobOutcome> {
    const controller = new AbortController();
    running.set(job, controller);
    const out = outputName(name, request.target.id);
    try {
      const opfs = await OpfsByteSink.open(out);
      const sink = opfs ?? new MemoryBlobSink(out);
      const kernels = await kernelsFor('wasm');
      const { record } = await renderAudio(new ReadAheadBlobSource(name, file), sink, {
        target: request.target,
        format: request.format,
        signal: controller.signal,
        onProgress,
        now: () => performance.now(),
        ...(kernels ? { kernels } : {}),
        ...(request.force !== undefined ? { force: request.force } : {}),
        ...(request.maxReductionDb !== undefined ? { maxReductionDb: request.maxReductionDb } : {}),
        ...(request.lookaheadMs !== undefined ? { lookaheadMs: request.lookaheadMs } : {}),
        ...(request.releaseMs !== undefined ? { releaseMs: request.releaseMs } : {}),
        ...(request.before ? { before: request.before } : {}),
      });
      return { ok: true, record, file: await sink.file(), storage: opfs ? 'opfs' : 'memory' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, cancelled: controller.signal.aborted || message.endsWith(RENDER_CANCELLED), message };
    } finally {
      running.delete(job);
      releaseCallback(onProgress);
    }
  },
  cancel(job) {
    running.get(job)?.abort();
  },
};

expose(api);
