/**
 * A worker for Node tests of the worker clients: the "worker side" is a real comlink `expose`
 * on one end of a MessageChannel, and the test makes it fail the ways a browser Worker does
 * (an `error` event, as when its module throws a ReferenceError while loading; a
 * `messageerror`). Only the Worker object is stood in; comlink and the message port are real.
 */
import { expose } from 'comlink';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { WorkerLike } from '../../src/platform/workers/make-worker-slot.ts';

export interface FakeWorker extends WorkerLike {
  /** Fires the Worker's `error` event, as the browser does when the module fails or an error escapes. */
  fail(message: string): void;
  fireMessageError(): void;
  readonly terminated: boolean;
}

/** A worker exposing `api` (or nothing, when `api` is null: a worker that never answers). */
export function makeFakeWorker(api: object | null): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  if (api) expose(api, port2 as unknown as Parameters<typeof expose>[1]);
  const events = new EventTarget();
  let terminated = false;
  const page = port1 as MessagePort;
  return {
    postMessage: (message: unknown, transfer?: unknown[]) => page.postMessage(message, transfer as never),
    addEventListener(type: string, listener: never) {
      if (type === 'message') page.addEventListener('message', listener);
      else events.addEventListener(type, listener);
    },
    removeEventListener(type: string, listener: never) {
      if (type === 'message') page.removeEventListener('message', listener);
      else events.removeEventListener(type, listener);
    },
    start: () => page.start(),
    terminate() {
      terminated = true;
      port1.close();
      port2.close();
    },
    fail(message) {
      const event = new Event('error') as Event & { message: string };
      event.message = message;
      events.dispatchEvent(event);
    },
    fireMessageError() {
      events.dispatchEvent(new Event('messageerror'));
    },
    get terminated() {
      return terminated;
    },
  };
}
