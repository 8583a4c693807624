/**
 * One worker behind comlink, and the one place that decides the worker is gone. Every worker
 * client (XML, analysis) holds its workers in slots and falls back to running the same core
 * code on the main thread when a call rejects with WorkerGoneError.
 *
 * What counts as "gone" is decided by what happened, never by reading an error message:
 *   - 'failed-to-start': the factory threw or returned null (no Worker here, CSP, bad URL);
 *   - 'error': the Worker fired `error`: its module failed to load or evaluate (a ReferenceError
 *     at top level, a failed import) or an exception escaped a job into the worker's global
 *     scope. The worker is terminated: its state can no longer be trusted;
 *   - 'message-error': the Worker fired `messageerror` (an answer that could not be deserialised);
 *   - 'stopped': the owner stopped or restarted the slot while a call was waiting, so the call
 *     rejects instead of hanging on a worker that will never answer.
 * An exception the job itself throws comes back through comlink as that exception and is NOT a
 * worker failure: the worker is healthy, and the same code on the main thread would throw the
 * same bug again, so it is reported to the user as the job's failure.
 *
 * Threading: main thread only. The factory is called at construction and on restart().
 */
import { wrap, type Endpoint, type Remote } from 'comlink';

/** What a slot needs of a worker: a comlink endpoint that fires `error` and can be terminated (a Worker fits). */
export interface WorkerLike extends Endpoint {
  terminate(): void;
}

export type WorkerGoneReason = 'failed-to-start' | 'error' | 'message-error' | 'stopped';

/** The slot's worker cannot answer; the caller should run the work on the main thread. */
export class WorkerGoneError extends Error {
  override readonly name = 'WorkerGoneError';
  constructor(
    readonly reason: WorkerGoneReason,
    detail: string,
  ) {
    super(detail);
  }
}

export function isWorkerGone(error: unknown): error is WorkerGoneError {
  return error instanceof WorkerGoneError;
}

export interface WorkerSlot<Api> {
  /** True while the slot has a worker that has not failed. */
  readonly alive: boolean;
  /**
   * Runs `call` against the worker's API (through comlink, so every method answers
   * asynchronously; it is typed as `Api` because comlink's Remote<> distributes badly over
   * union results). Rejects with WorkerGoneError when there is no worker or it fails (or is
   * stopped) before answering; any other rejection is the job's own.
   */
  run<T>(call: (api: Api) => T | PromiseLike<T>): Promise<T>;
  /** Terminates the worker; waiting calls reject with WorkerGoneError('stopped'). */
  stop(): void;
  /** A fresh worker in place of a stuck or dead one. */
  restart(): void;
}

/** `start` makes the worker; `label` names it in failure messages ("the XML worker"). */
export function makeWorkerSlot<Api>(start: () => WorkerLike | null, label: string): WorkerSlot<Api> {
  let worker: WorkerLike | null = null;
  let remote: Remote<Api> | null = null;
  /** Rejects (once) when the current worker is gone; every waiting call races it. */
  let gone: Promise<never> = goneAlready(new WorkerGoneError('failed-to-start', `${label} did not start`));
  let markGone: (error: WorkerGoneError) => void = () => {};

  function end(error: WorkerGoneError): void {
    worker?.terminate();
    worker = null;
    remote = null;
    markGone(error);
  }

  function begin(): void {
    let made: WorkerLike | null;
    try {
      made = start();
    } catch (error) {
      gone = goneAlready(
        new WorkerGoneError(
          'failed-to-start',
          `${label} could not start: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return;
    }
    if (!made) {
      gone = goneAlready(new WorkerGoneError('failed-to-start', `${label} is not available here`));
      return;
    }
    const current = made;
    worker = current;
    remote = wrap<Api>(current);
    gone = new Promise<never>((_, reject) => {
      markGone = reject;
    });
    gone.catch(() => {});
    // Only the worker this generation started may end it (a late event from a replaced one is ignored).
    const onEvent = (kind: 'error' | 'message-error') => (event: unknown) => {
      if (worker !== current) return;
      const detail = (event as { message?: unknown }).message;
      end(new WorkerGoneError(kind, `${label} failed${typeof detail === 'string' && detail ? `: ${detail}` : ''}`));
    };
    current.addEventListener('error', onEvent('error'));
    current.addEventListener('messageerror', onEvent('message-error'));
  }

  begin();
  const slot: WorkerSlot<Api> = {
    get alive() {
      return remote !== null;
    },
    run(call) {
      if (!remote) return gone;
      const api = remote as unknown as Api;
      // A synchronous throw (e.g. a value that cannot be cloned) is the call's own failure.
      return Promise.race([Promise.resolve().then(() => call(api)), gone]);
    },
    stop() {
      end(new WorkerGoneError('stopped', `${label} was stopped`));
    },
    restart() {
      slot.stop();
      begin();
    },
  };
  return slot;
}

/** A rejection already settled, marked handled so it never surfaces as unhandled. */
function goneAlready(error: WorkerGoneError): Promise<never> {
  const settled = Promise.reject(error);
  settled.catch(() => {});
  return settled;
}
