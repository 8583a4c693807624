/**
 * The one worker-slot primitive every worker client uses: what counts as "the worker is gone"
 * (so the client falls back to the main thread) is decided by what happened to the worker,
 * never by an error's wording; an exception thrown by the job is the job's own failure.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isWorkerGone, makeWorkerSlot } from '../../../src/platform/workers/make-worker-slot.ts';
import { makeFakeWorker, type FakeWorker } from '../../support/fake-worker.ts';

interface EchoApi {
  echo(text: string): string;
  crash(): string;
  never(): Promise<string>;
}

const echoApi: EchoApi = {
  echo: (text) => `echo ${text}`,
  // A real bug in the job: comlink carries the exception back; the worker stays healthy.
  crash: () => {
    throw new ReferenceError('undefinedThing is not defined');
  },
  never: () => new Promise<string>(() => {}),
};

async function goneReason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isWorkerGone(error) ? error.reason : `not gone: ${String(error)}`;
  }
  return 'answered';
}

test('a live worker answers through the slot', async () => {
  const slot = makeWorkerSlot<EchoApi>(() => makeFakeWorker(echoApi), 'the test worker');
  assert.ok(slot.alive);
  assert.is(await slot.run((api) => api.echo('hi')), 'echo hi');
  slot.stop();
});

test('Regression: a worker whose module fails with a ReferenceError is gone, whatever the message says', async () => {
  let worker: FakeWorker | null = null;
  const slot = makeWorkerSlot<EchoApi>(() => (worker = makeFakeWorker(null)), 'the test worker');
  const pending = slot.run((api) => api.echo('hi'));
  // The browser's message for a module that throws while loading never mentions "worker".
  worker!.fail('Uncaught ReferenceError: document is not defined');
  assert.is(await goneReason(pending), 'error');
  assert.not.ok(slot.alive);
  assert.ok(worker!.terminated, 'a worker that fired error is terminated');
  assert.is(await goneReason(slot.run((api) => api.echo('again'))), 'error');
});

test('a worker that cannot start (factory throws or gives none) is gone from the start', async () => {
  const throwing = makeWorkerSlot<EchoApi>(() => {
    throw new Error('Workers are disabled here');
  }, 'the test worker');
  assert.not.ok(throwing.alive);
  assert.is(await goneReason(throwing.run((api) => api.echo('x'))), 'failed-to-start');
  const none = makeWorkerSlot<EchoApi>(() => null, 'the test worker');
  assert.is(await goneReason(none.run((api) => api.echo('x'))), 'failed-to-start');
});

test('a messageerror ends the worker', async () => {
  let worker: FakeWorker | null = null;
  const slot = makeWorkerSlot<EchoApi>(() => (worker = makeFakeWorker(echoApi)), 'the test worker');
  const pending = slot.run((api) => api.never());
  worker!.fireMessageError();
  assert.is(await goneReason(pending), 'message-error');
  assert.not.ok(slot.alive);
});

test("an exception thrown by the job is the job's failure, and the worker stays", async () => {
  const slot = makeWorkerSlot<EchoApi>(() => makeFakeWorker(echoApi), 'the test worker');
  const reason = await goneReason(slot.run((api) => api.crash()));
  assert.ok(reason.startsWith('not gone') && reason.includes('undefinedThing'), reason);
  assert.ok(slot.alive);
  assert.is(await slot.run((api) => api.echo('still here')), 'echo still here');
  slot.stop();
});

test('stopping a slot rejects the waiting call instead of leaving it hanging; restart gives a fresh worker', async () => {
  const made: FakeWorker[] = [];
  const slot = makeWorkerSlot<EchoApi>(() => {
    const w = makeFakeWorker(echoApi);
    made.push(w);
    return w;
  }, 'the test worker');
  const pending = slot.run((api) => api.never());
  slot.restart();
  assert.is(await goneReason(pending), 'stopped');
  assert.is(made.length, 2);
  assert.ok(made[0]!.terminated);
  assert.ok(slot.alive);
  assert.is(await slot.run((api) => api.echo('new')), 'echo new');
  // A late error event from the replaced worker does not end the new one.
  made[0]!.fail('late');
  assert.ok(slot.alive);
  slot.stop();
});

test.run();
