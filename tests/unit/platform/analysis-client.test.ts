/**
 * The analysis client's warm-up (analysis-client.ts `warm`): the page calls it when it opens, so
 * the workers a split would use are started and have compiled their kernels before a file is
 * chosen. Real comlink over a real MessageChannel (tests/support/fake-worker.ts) to the core's
 * real jobs; only the Worker object is stood in.
 */
import { releaseProxy } from 'comlink';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalysisJobs, type AnalysisJobsApi } from '../../../src/core/analysis/analysis-jobs.ts';
import type { KernelChoice } from '../../../src/core/analysis/worker-contract.ts';
import { makeAnalysisClient } from '../../../src/platform/analysis/analysis-client.ts';
import { makeFakeWorker, type FakeWorker } from '../../support/fake-worker.ts';
import { sine } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

/**
 * The jobs as the worker entry exposes them: a job's progress callback (a comlink proxy, with
 * a message port of its own) is released when the job ends, as workers/analysis.worker.ts does;
 * a port left open keeps the test process alive after the last test.
 */
function asWorkerEntry(jobs: AnalysisJobsApi): AnalysisJobsApi {
  const release = (onProgress: unknown) => {
    const r = (onProgress as { [releaseProxy]?: () => Promise<void> })[releaseProxy];
    void r?.call(onProgress)?.catch(() => {});
  };
  return {
    ...jobs,
    analyseBlob: (job, file, name, onProgress, ...rest) =>
      jobs.analyseBlob(job, file, name, onProgress, ...rest).finally(() => release(onProgress)),
    analyseSlice: (job, file, name, span, onProgress, kernels) =>
      jobs.analyseSlice(job, file, name, span, onProgress, kernels).finally(() => release(onProgress)),
  };
}

/**
 * Workers over the real jobs that record their warm-ups. A worker made while `hangs()` is true
 * never answers a file's slices nor its cancel (a worker still compiling on a loaded machine).
 */
function countingWorkers(hangs: () => boolean = () => false) {
  const made: { warmed: KernelChoice[]; worker: FakeWorker; stuck: boolean }[] = [];
  const makeWorker = () => {
    const jobs = asWorkerEntry(
      makeAnalysisJobs({
        now: () => performance.now(),
        yieldToEvents: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
      }),
    );
    const warmed: KernelChoice[] = [];
    const stuck = hangs();
    const worker = makeFakeWorker({
      ...jobs,
      warm: async (kernels?: KernelChoice) => {
        warmed.push(kernels ?? 'wasm');
        return jobs.warm(kernels);
      },
      analyseSlice: stuck ? () => new Promise(() => {}) : jobs.analyseSlice,
      analyseBlob: stuck ? () => new Promise(() => {}) : jobs.analyseBlob,
      cancel: stuck ? () => {} : jobs.cancel,
    });
    made.push({ warmed, worker, stuck });
    return worker;
  };
  return { made, makeWorker };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('warm() starts the workers a split would use and compiles their kernels; the analysis after it starts none', async () => {
  const { made, makeWorker } = countingWorkers();
  const client = makeAnalysisClient({ makeWorker, workers: 3 });
  assert.is(made.length, 1, 'the main worker starts with the client');
  await client.warm();
  assert.is(made.length, 3);
  assert.equal(
    made.map((w) => w.warmed),
    [['wasm'], ['wasm'], ['wasm']],
  );
  const wav = writeWav([sine(8000, 2, 1000, 0.5)], { sampleRate: 8000, format: 'pcm16' });
  const outcome = await client.analyse(new Blob([new Uint8Array(wav)]), 'tone.wav', () => {}).outcome;
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
  assert.is(made.length, 3, 'no worker started for the analysis');
  client.dispose();
});

test('without warm() the client starts only its main worker until an analysis needs more', async () => {
  const { made, makeWorker } = countingWorkers();
  const client = makeAnalysisClient({ makeWorker, workers: 2 });
  await settle();
  assert.is(made.length, 1);
  assert.equal(made[0]!.warmed, []);
  client.dispose();
});

test('warm() resolves only once every worker has warmed; a second warm() warms nothing again', async () => {
  const { made, makeWorker } = countingWorkers();
  const client = makeAnalysisClient({ makeWorker, workers: 2 });
  const ready = client.warm();
  let resolved = false;
  void ready.then(() => (resolved = true));
  await Promise.resolve();
  assert.is(resolved, false, 'the workers are still warming');
  await ready;
  await client.warm();
  assert.equal(
    made.map((w) => w.warmed),
    [['wasm'], ['wasm']],
  );
  client.dispose();
});

test('the extra workers are let go after the idle time with no analysis, and the next split starts them again', async () => {
  const { made, makeWorker } = countingWorkers();
  const long = writeWav([sine(8000, 50, 1000, 0.5)], { sampleRate: 8000, format: 'pcm16' });
  const client = makeAnalysisClient({ makeWorker, workers: 3, idleMs: 400 });
  const terminated = () => made.map((w) => w.worker.terminated);
  await client.warm();
  assert.is(made.length, 3);
  // An analysis within the idle time keeps them: the countdown starts again when it ends.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const first = await client.analyse(new Blob([new Uint8Array(long)]), 'long.wav', () => {}).outcome;
  assert.ok(first.ok && first.slices === 2, 'split over two workers');
  assert.equal(terminated(), [false, false, false], 'all there after the analysis');
  // Then they go (polled: a loaded machine runs timers late).
  for (let waited = 0; terminated()[1] === false && waited < 5000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(terminated(), [false, true, true], 'the main worker stays; the others are gone');
  assert.ok(client.usesWorker);
  const again = await client.analyse(new Blob([new Uint8Array(long)]), 'long.wav', () => {}).outcome;
  assert.ok(again.ok && again.slices === 2, 'split again');
  assert.is(made.length, 4, 'one new worker for the second slice');
  client.dispose();
});

test('an analysis started while an older one ignores its cancel survives the workers being restarted', async () => {
  // Regression: the older job's cancel grace (2 s) restarted every worker, and the newer job
  // running on them came back "cancelled" without anyone cancelling it.
  let stuck = true;
  // The first workers hang; the restarted ones are healthy.
  const { makeWorker } = countingWorkers(() => stuck);
  const client = makeAnalysisClient({ makeWorker, workers: 2 });
  const long = writeWav([sine(8000, 50, 1000, 0.5)], { sampleRate: 8000, format: 'pcm16' });
  const first = client.analyse(new Blob([new Uint8Array(long)]), 'long.wav', () => {});
  await settle();
  first.cancel();
  stuck = false;
  const short = writeWav([sine(8000, 2, 1000, 0.5)], { sampleRate: 8000, format: 'pcm16' });
  const second = await client.analyse(new Blob([new Uint8Array(short)]), 'short.wav', () => {}).outcome;
  assert.ok(second.ok, second.ok ? '' : second.message);
  assert.ok((await first.outcome).ok === false);
  client.dispose();
});

test('workers restarted after a stuck cancel are cold: warm() warms them again and the client says so', async () => {
  // Regression: the restarted slots kept their finished warm-up, so warm() resolved at once and
  // the page stayed marked warm (data-analysis-warm) over workers that had compiled nothing.
  let stuck = true;
  const { made, makeWorker } = countingWorkers(() => stuck);
  let colds = 0;
  const client = makeAnalysisClient({ makeWorker, workers: 2, onCold: () => colds++ });
  await client.warm();
  assert.equal(
    made.map((w) => w.warmed),
    [['wasm'], ['wasm']],
  );
  const long = writeWav([sine(8000, 50, 1000, 0.5)], { sampleRate: 8000, format: 'pcm16' });
  const run = client.analyse(new Blob([new Uint8Array(long)]), 'long.wav', () => {});
  await settle();
  stuck = false;
  run.cancel();
  const outcome = await run.outcome;
  assert.ok(!outcome.ok && outcome.cancelled);
  assert.is(colds, 1, 'the client said its workers went cold');
  const fresh = made.filter((w) => !w.stuck);
  assert.is(fresh.length, 2, 'both workers replaced');
  assert.equal(
    fresh.map((w) => w.warmed),
    [[], []],
  );
  await client.warm();
  assert.equal(
    fresh.map((w) => w.warmed),
    [['wasm'], ['wasm']],
    'the fresh workers warmed',
  );
  client.dispose();
});

test.run();
