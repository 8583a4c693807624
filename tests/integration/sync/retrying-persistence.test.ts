/**
 * RetryingPersistence over a real MemoryPersistence whose appends fail for a while: a short
 * outage is ridden out, a long one still fails (bounded), and closing stops the retries.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryPersistence } from '../../../sync-server/relay/index.ts';
import { RetryingPersistence } from '../../../sync-server/relay/retrying-persistence.ts';

/** A MemoryPersistence whose appends fail while `down` is set. */
function flakyStore(): { store: MemoryPersistence; outage: { down: boolean; tries: number } } {
  const store = new MemoryPersistence();
  const outage = { down: true, tries: 0 };
  const append = store.appendUpdate.bind(store);
  store.appendUpdate = (docId, update) => {
    outage.tries++;
    return outage.down ? Promise.reject(new Error('connection refused')) : append(docId, update);
  };
  return { store, outage };
}

test('an append during a short outage waits and is stored once the store answers', async () => {
  const { store, outage } = flakyStore();
  const retried: string[] = [];
  const retrying = new RetryingPersistence(store, { firstDelayMs: 10, onRetry: (_e, what) => retried.push(what) });
  setTimeout(() => (outage.down = false), 100);
  await retrying.appendUpdate('doc', new Uint8Array([1, 2, 3]));
  assert.equal(await store.load('doc'), [new Uint8Array([1, 2, 3])]);
  assert.ok(outage.tries >= 2, `tried ${outage.tries} times`);
  assert.ok(retried.every((what) => what === "storing an update of 'doc'"));
  await retrying.close();
});

test("an outage longer than retryForMs fails the append with the store's error", async () => {
  const { store } = flakyStore();
  const retrying = new RetryingPersistence(store, { retryForMs: 150, firstDelayMs: 10, maxDelayMs: 20 });
  const started = Date.now();
  const error = await retrying.appendUpdate('doc', new Uint8Array([1])).catch((e: unknown) => e);
  assert.instance(error, Error);
  assert.is((error as Error).message, 'connection refused');
  assert.ok(Date.now() - started < 2000, 'bounded');
  await retrying.close();
});

test('closing stops the retries', async () => {
  const { store, outage } = flakyStore();
  const retrying = new RetryingPersistence(store, { firstDelayMs: 50 });
  const append = retrying.appendUpdate('doc', new Uint8Array([1])).catch((e: unknown) => e);
  await new Promise((next) => setTimeout(next, 20));
  await retrying.close();
  assert.instance(await append, Error);
  assert.ok(outage.tries <= 2, `tried ${outage.tries} times`);
});

test.run();
