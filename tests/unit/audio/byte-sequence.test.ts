/**
 * Sequential reads through one reused buffer (ByteSource.sequence, blobSequence): the bytes
 * arrive whole and in order in chunks of the size asked for, one buffer serves every chunk (the
 * point: nothing per read for the collector, which let a 1 GB file grow each browser analysis
 * worker by ~90 MB), an early stop lets go of the stream, a Blob without a byte stream falls
 * back to plain reads, and analysis through a streaming source gives the same figures as
 * through plain reads, whole and in time slices, with both kernel sets.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyseSlice, planSlices } from '../../../src/core/analysis/analysis-split.ts';
import { ReadAheadBlobSource } from '../../../src/core/analysis/read-ahead-source.ts';
import { analyseAudio } from '../../../src/core/audio/analyse-audio.ts';
import { BlobByteSource, blobSequence, MemoryByteSource, type BlobLike } from '../../../src/core/audio/byte-source.ts';
import type { KernelFactory } from '../../../src/core/dsp/kernels.ts';
import { compileBundledMeterKernels } from '../../../src/core/dsp/wasm-kernels.ts';
import { mixLike } from '../../support/signals.ts';
import { writeWav } from '../../support/wav-writer.ts';

/** A slice's part holds typed arrays with NaN (empty windows), which uvu's equal calls unequal. */
const comparable = (part: unknown) =>
  JSON.stringify(part, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));

const bytes = Uint8Array.from({ length: 1_000_003 }, (_, i) => (i * 7919) % 251);

test('blobSequence gives bytes from..to in order, full chunks but the last, in one reused buffer', async () => {
  const chunks = blobSequence(new Blob([bytes]), 17, 900_017, 65_536);
  assert.ok(chunks, 'a Node Blob streams bytes');
  const seen: number[] = [];
  let at = 17,
    previous: Uint8Array | null = null;
  for await (const chunk of chunks!) {
    // The buffer behind the last chunk was handed to the stream to fill again, not replaced.
    if (previous) assert.is(previous.byteLength, 0, `the chunk before ${at} was refilled in place`);
    seen.push(chunk.length);
    assert.equal(chunk, bytes.subarray(at, at + chunk.length), `bytes at ${at}`);
    at += chunk.length;
    previous = chunk;
  }
  assert.is(at, 900_017);
  assert.ok(
    seen.slice(0, -1).every((n) => n === 65_536),
    `chunk sizes ${seen.join(', ')}`,
  );
  assert.is(seen.at(-1), 900_000 % 65_536);
});

test('blobSequence lets go of the stream when the reader stops early', async () => {
  let cancelled = false;
  const blob = new Blob([bytes]);
  const watched: BlobLike = {
    size: blob.size,
    slice: (a, b) => {
      const part = blob.slice(a, b);
      return {
        arrayBuffer: () => part.arrayBuffer(),
        stream: () => {
          const reader = part.stream().getReader({ mode: 'byob' });
          return {
            getReader: () => ({
              read: (view: Uint8Array<ArrayBuffer>) => reader.read(view),
              cancel: () => ((cancelled = true), reader.cancel()),
            }),
          };
        },
      };
    },
  };
  for await (const chunk of blobSequence(watched, 0, bytes.length, 4096)!) {
    assert.is(chunk.length, 4096);
    break;
  }
  assert.ok(cancelled, 'the stream was cancelled');
});

/** A Blob as an engine without byte streams shows it: getReader({ mode: 'byob' }) throws. */
function withoutByteStream(blob: Blob): BlobLike {
  return {
    size: blob.size,
    slice: (a, b) => ({
      arrayBuffer: () => blob.slice(a, b).arrayBuffer(),
      stream: () => ({
        getReader: () => {
          throw new TypeError('not a byte stream');
        },
      }),
    }),
  };
}

test('a Blob whose stream is not a byte stream reads by slices instead, with the same figures', async () => {
  assert.is(blobSequence(withoutByteStream(new Blob([bytes])), 0, 10, 4), null);
  const wav = writeWav(mixLike(48000, 2, 1), { sampleRate: 48000, format: 'pcm24' });
  const plain = await analyseAudio(new MemoryByteSource('a.wav', wav));
  const bySlices = await analyseAudio(new BlobByteSource('a.wav', withoutByteStream(new Blob([wav]))));
  assert.equal(bySlices.result, plain.result);
});

const wasm = await compileBundledMeterKernels();
for (const [name, kernels] of [
  ['TS', undefined],
  ['WASM', wasm],
] as [string, KernelFactory | undefined][]) {
  test(`${name} kernels: figures through a streaming File source equal those through plain reads, whole and in slices`, async () => {
    const wav = writeWav(mixLike(44100, 2, 9), { sampleRate: 44100, format: 'pcm24' });
    const options = kernels ? { kernels } : {};
    const plain = await analyseAudio(new MemoryByteSource('mix.wav', wav), options);
    for (const source of [
      new BlobByteSource('mix.wav', new Blob([wav])),
      new ReadAheadBlobSource('mix.wav', new Blob([wav])),
    ])
      assert.equal((await analyseAudio(source, options)).result, plain.result, source.constructor.name);
    for (const span of planSlices(44100, 9 * 44100, 2, 4)) {
      const viaMemory = await analyseSlice(new MemoryByteSource('mix.wav', wav), span, options);
      const viaStream = await analyseSlice(new ReadAheadBlobSource('mix.wav', new Blob([wav])), span, options);
      assert.is(comparable(viaStream), comparable(viaMemory), `slice from ${span.start}`);
    }
  });
}

test.run();
