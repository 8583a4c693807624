/**
 * The analysis worker's read-ahead File reader returns exactly the bytes asked for, whatever
 * the block size and however reads straddle blocks, jump back (headers) or run past the end.
 * Runs on Node's Blob (the same slice/arrayBuffer contract as the browser's File); seeded, the
 * seed is printed on failure.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReadAheadBlobSource } from '../../../src/core/analysis/read-ahead-source.ts';
import { seededRandom } from '../../support/signals.ts';

test('random reads through the read-ahead source equal the bytes of the blob', async () => {
  const seed = Number(process.env.SEED ?? 20261122);
  const rand = seededRandom(seed);
  const n = 300_007;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = (i * 31 + (i >> 8)) & 255;
  const blob = new Blob([data]);
  for (let trial = 0; trial < 60; trial++) {
    const source = new ReadAheadBlobSource('x.wav', blob, 1 + Math.floor(rand() * 40_000));
    let offset = Math.floor(rand() * 1000);
    for (let k = 0; k < 200; k++) {
      const length = Math.floor(rand() * 50_000);
      if (rand() < 0.05) offset = Math.floor(rand() * (n + 100));
      const got = await source.read(offset, length);
      const want = data.subarray(Math.min(offset, n), Math.min(offset + length, n));
      if (got.length !== want.length || got.some((v, i) => v !== want[i])) {
        assert.unreachable(
          `seed ${seed}, trial ${trial}: read(${offset}, ${length}) returned ${got.length} bytes that differ from the blob's ${want.length}`,
        );
      }
      offset += length;
      if (offset > n) offset = Math.floor(rand() * n);
    }
  }
});

test('the size is the blob size and a read at the end returns nothing', async () => {
  const source = new ReadAheadBlobSource('y.wav', new Blob([new Uint8Array(10)]), 4);
  assert.is(source.size, 10);
  assert.is((await source.read(10, 5)).length, 0);
  assert.is((await source.read(8, 5)).length, 2);
});

// Regression: reading a WAV's header prefetched the next 4 MB block, which the PCM (streamed
// through `sequence`) never used.
test('a header read fetches one block; reading on from block to block prefetches the next', async () => {
  const data = new Uint8Array(100);
  const fetched: number[] = [];
  const blob = new Blob([data]);
  const counting = {
    size: blob.size,
    slice(from: number, to: number) {
      fetched.push(from);
      return blob.slice(from, to);
    },
  };
  const source = new ReadAheadBlobSource('z.wav', counting, 10);
  await source.read(0, 8);
  await source.read(8, 2);
  assert.equal(fetched, [0], 'the header alone');
  await source.read(10, 5);
  assert.equal(fetched, [0, 10, 20], 'block 1, then block 2 on its way');
  await source.read(20, 5);
  assert.equal(fetched, [0, 10, 20, 30], 'block 2 was the prefetched one');
  await source.read(70, 5);
  assert.equal(fetched, [0, 10, 20, 30, 70], 'a jump reads one block, no prefetch');
});

test.run();
