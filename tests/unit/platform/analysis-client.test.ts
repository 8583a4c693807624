/**
 * The analysis client's warm-up (analysis-client.ts `warm`): the page calls it when it opens, so
 * the workers a split would use are started and have compiled their kernels before a file is
 * chosen. Real comlink over a real MessageChannel (tests/support/fake-worker.ts) to the core's
 * real jobs; only the Worker object is stood in.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalysisJobs } from '../../../src/core/analysis/analysis-jobs.ts';
import type { KernelChoice } from '../../../src/core/analysis/worker-contract.ts';
import { makeAnalysisClient } from '../../../src/platform/analysis/analysis-client.ts';
import { makeFakeWorker } from '../../support/fake-worker.ts';
import { sine } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

function countingWorkers() {
  const made: { warmed: KernelChoice[] }[] = [];
  const makeWorker = () => {
    const jobs = makeAnalysisJobs({
      now: () => performance.now(),
      yieldToEvents: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    });
    const record = { warmed: [] as KernelChoice[] };
    made.push(record);
    return makeFakeWorker({
      ...jobs,
      warm: async (kernels?: KernelChoice) => {
        record.warmed.push(kernels ?? 'wasm');
        await jobs.warm(kernels);
      },
    });
  };
  return { made, makeWorker };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test('warm() starts the workers a split would use and compiles their kernels; the analysis after it starts none', async () => {
  const { made, makeWorker } = countingWorkers();
  const client = makeAnalysisClient({ makeWorker, workers: 3 });
  assert.is(made.length, 1, 'the main worker starts with the client');
  client.warm();
  await settle();
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

test('an analysis started while an older one ignores its cancel survives the workers being restarted', async () => {
  // Regression: the older job's cancel grace (2 s) restarted every worker, and the newer job
  // running on them came back "cancelled" without anyone cancelling it.
  let stuck = true;
  const makeWorker = () => {
    const jobs = makeAnalysisJobs({
      now: () => performance.now(),
      yieldToEvents: () => new Promise<void>((resolve) => setTimeout(resolve, 0)),
    });
    // The first workers never answer the long file's slices nor its cancel (a worker still
    // compiling on a loaded machine); the restarted ones are healthy.
    const hang = stuck;
    return makeFakeWorker({
      ...jobs,
      analyseSlice: hang ? () => new Promise(() => {}) : jobs.analyseSlice,
      analyseBlob: hang ? () => new Promise(() => {}) : jobs.analyseBlob,
      cancel: hang ? () => {} : jobs.cancel,
    });
  };
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

test.run();
