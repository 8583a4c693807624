/**
 * RequestWorker (sync-server/relay/request-worker.ts), which the merge workers run on: replies
 * reach their own request, a thread that dies fails what was in flight and the next request
 * starts a new one (a compaction after a crashed merge thread is not refused for good).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RequestWorker, type WorkerReply } from '../../../sync-server/relay/request-worker.ts';

const SOURCE = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ id, op, value }) => {
  if (op === 'die') process.exit(3);
  if (op === 'fail') parentPort.postMessage({ id, ok: false, error: 'asked to fail' });
  else setTimeout(() => parentPort.postMessage({ id, ok: true, doubled: value * 2, threadId }), 20 - value);
});
`;

interface Reply extends WorkerReply {
  doubled: number;
  threadId: number;
}

test('replies reach their own request; a refusal names the work', async () => {
  const worker = new RequestWorker<Reply>(SOURCE, null, 'doubling');
  const replies = await Promise.all([1, 5, 9].map((value) => worker.request({ op: 'double', value })));
  assert.equal(
    replies.map((r) => r.doubled),
    [2, 10, 18],
  );
  await worker.request({ op: 'fail' }).then(
    () => assert.unreachable('a refusal resolved'),
    (error: Error) => assert.match(error.message, /^doubling failed: asked to fail/),
  );
  await worker.stop();
});

test('a thread that dies fails the requests in flight, and the next request starts a new thread', async () => {
  const worker = new RequestWorker<Reply>(SOURCE, null, 'doubling');
  const first = await worker.request({ op: 'double', value: 1 });
  const inFlight = worker.request({ op: 'double', value: 0 });
  const death = worker.request({ op: 'die' });
  await death.then(
    () => assert.unreachable('the dying request resolved'),
    (error: Error) => assert.match(error.message, /doubling: worker exited/),
  );
  await inFlight.then(
    () => assert.unreachable('a request in flight on the dead thread resolved'),
    () => {},
  );
  const after = await worker.request({ op: 'double', value: 4 });
  assert.is(after.doubled, 8);
  assert.is.not(after.threadId, first.threadId);
  await worker.stop();
});

test.run();
