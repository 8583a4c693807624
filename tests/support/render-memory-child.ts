/**
 * Child process for the render memory test and bench:render's 1 GB case:
 * `node --import tsx tests/support/render-memory-child.ts IN OUT` renders IN to OUT (Spotify,
 * 24-bit) from disk to disk with the WASM kernels, samples RSS at every progress step and prints
 * one JSON line: RSS before and at its peak (MB), elapsed ms and the re-verified figures.
 */
import { FileByteSource } from '../../src/cli/analyze.ts';
import { FileByteSink } from '../../src/cli/file-sink.ts';
import { renderAudio } from '../../src/core/audio/render-audio.ts';
import { compileBundledMeterKernels } from '../../src/core/dsp/wasm-kernels.ts';

const [input, output] = process.argv.slice(2);
const kernels = await compileBundledMeterKernels();
const source = new FileByteSource(input!);
const sink = new FileByteSink(output!);
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const t0 = performance.now();
const { record } = await renderAudio(source, sink, {
  target: { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1 },
  kernels,
  onProgress: () => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  },
});
sink.release();
source.close();
console.log(
  JSON.stringify({
    rssBeforeMb: rssBefore / 2 ** 20,
    rssPeakMb: rssPeak / 2 ** 20,
    ms: performance.now() - t0,
    after: record.after,
    verdict: record.verdict,
  }),
);
