/**
 * Main-thread side of the codec check: `check(file, platformId)` runs in the codec worker
 * (workers/codec.worker.ts) and returns a handle with the outcome and a `cancel()`;
 * `unavailable(...)` asks the worker whether this browser can encode the platform's codec at
 * all, so the page can say so before a file is chosen. No main-thread fallback: the encoder is
 * the browser's, and a check streams a whole file through it, which would freeze the page.
 * A worker that does not answer a cancel within CANCEL_GRACE_MS is terminated and replaced.
 */
import { proxy } from 'comlink';
import type { CodecJobOutcome, CodecProgress, CodecWorkerApi } from '../../core/analysis/codec-contract.ts';
import { cancellableRun } from '../workers/cancellable-run.ts';
import { isWorkerGone, makeWorkerSlot, type WorkerLike } from '../workers/make-worker-slot.ts';

export interface CodecRun {
  readonly outcome: Promise<CodecJobOutcome>;
  cancel(): void;
}

export interface CodecClient {
  unavailable(platformId: string, sampleRate: number, channels: number): Promise<string | null>;
  check(file: Blob, name: string, platformId: string, onProgress: CodecProgress): CodecRun;
  dispose(): void;
}

const CANCEL_GRACE_MS = 2000;
const NO_WORKER = 'the codec check needs a Web Worker, and none could start here';

function startWorker(): Worker {
  return new Worker(new URL('../../../workers/codec.worker.ts', import.meta.url), { type: 'module' });
}

export function makeCodecClient(makeWorker: () => WorkerLike | null = startWorker): CodecClient {
  const slot = makeWorkerSlot<CodecWorkerApi>(makeWorker, 'the codec worker');
  let nextJob = 1;
  return {
    async unavailable(platformId, sampleRate, channels) {
      if (!slot.alive) return NO_WORKER;
      try {
        return await slot.run((api) => api.unavailable(platformId, sampleRate, channels));
      } catch (error) {
        if (isWorkerGone(error)) return `the codec worker failed (${error.message})`;
        throw error;
      }
    },
    check(file, name, platformId, onProgress) {
      const job = nextJob++;
      const cancelled: CodecJobOutcome = { ok: false, reason: 'cancelled', message: `${name}: codec check cancelled` };
      const work = (async (): Promise<CodecJobOutcome> => {
        if (!slot.alive) return { ok: false, reason: 'unavailable', message: NO_WORKER };
        try {
          return await slot.run((api) =>
            api.check(
              job,
              file,
              name,
              platformId,
              proxy((percent: number): void => onProgress(percent)),
            ),
          );
        } catch (error) {
          if (isWorkerGone(error))
            return error.reason === 'stopped'
              ? cancelled
              : { ok: false, reason: 'failed', message: `${name}: the codec worker failed (${error.message})` };
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
