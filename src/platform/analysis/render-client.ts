/**
 * Main-thread side of the corrective render: `render(file, request)` runs in the render worker
 * (workers/render.worker.ts) and returns a handle with the outcome and a `cancel()`. There is no
 * main-thread fallback: a render streams a whole file through a limiter and would freeze the
 * page, so where no worker can start the outcome says so plainly. Cancel asks the worker to
 * stop at its next chunk; a worker that does not answer within CANCEL_GRACE_MS is terminated
 * (its memory goes with it) and a fresh one is started for the next render.
 */
import { proxy } from 'comlink';
import type {
  RenderJobOutcome,
  RenderProgress,
  RenderRequest,
  RenderWorkerApi,
} from '../../core/analysis/render-contract.ts';
import { cancellableRun } from '../workers/cancellable-run.ts';
import { isWorkerGone, makeWorkerSlot, type WorkerLike } from '../workers/make-worker-slot.ts';

export interface RenderRun {
  readonly outcome: Promise<RenderJobOutcome>;
  cancel(): void;
}

export interface RenderClient {
  render(file: Blob, name: string, request: RenderRequest, onProgress: RenderProgress): RenderRun;
  dispose(): void;
}

const CANCEL_GRACE_MS = 2000;

function startWorker(): Worker {
  return new Worker(new URL('../../../workers/render.worker.ts', import.meta.url), { type: 'module' });
}

export function makeRenderClient(makeWorker: () => WorkerLike | null = startWorker): RenderClient {
  const slot = makeWorkerSlot<RenderWorkerApi>(makeWorker, 'the render worker');
  let nextJob = 1;
  return {
    render(file, name, request, onProgress) {
      const job = nextJob++;
      const cancelled: RenderJobOutcome = { ok: false, cancelled: true, message: `${name}: render cancelled` };
      const work = (async (): Promise<RenderJobOutcome> => {
        if (!slot.alive)
          return { ok: false, cancelled: false, message: 'rendering needs a Web Worker, and none could start here' };
        try {
          return await slot.run((api) =>
            api.render(
              job,
              file,
              name,
              request,
              proxy((percent: number, phase: Parameters<RenderProgress>[1]): void => onProgress(percent, phase)),
            ),
          );
        } catch (error) {
          if (isWorkerGone(error))
            return error.reason === 'stopped'
              ? cancelled
              : { ok: false, cancelled: false, message: `${name}: the render worker failed (${error.message})` };
          throw error;
        }
      })();
      return cancellableRun(slot, work, (api) => api.cancel(job), cancelled, CANCEL_GRACE_MS);
    },
    dispose() {
      slot.stop();
    },
  };
}
