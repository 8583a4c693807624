/**
 * A long job in a worker slot that the user can cancel: `cancel()` asks the worker to stop at
 * its next chunk, and a worker that has not answered within `graceMs` is restarted (its memory
 * goes with it) while the run resolves as cancelled. Used by the render and codec-check clients.
 *
 * Threading: main thread only.
 */
import type { WorkerSlot } from './make-worker-slot.ts';

export interface CancellableRun<Outcome> {
  readonly outcome: Promise<Outcome>;
  cancel(): void;
}

export function cancellableRun<Api, Outcome>(
  slot: WorkerSlot<Api>,
  work: Promise<Outcome>,
  askCancel: (api: Api) => void,
  cancelled: Outcome,
  graceMs = 2000,
): CancellableRun<Outcome> {
  let stop: (o: Outcome) => void = () => {};
  const stopped = new Promise<Outcome>((resolve) => (stop = resolve));
  return {
    outcome: Promise.race([work, stopped]),
    cancel() {
      void slot.run(askCancel).catch(() => {});
      const timer = setTimeout(() => {
        slot.restart();
        stop(cancelled);
      }, graceMs);
      void work.finally(() => clearTimeout(timer));
    },
  };
}
