/**
 * The sliding loudness windows (loudness-windows.ts) against sums taken the plain way: every
 * 400 ms and 3 s window's mean energy recomputed from the per-sample energies, at every
 * 100 ms and at every sub-block (through the maxima), for pushes of random lengths. The
 * windows are summed from hop sums and two running sums, so they agree to rounding.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LoudnessWindows } from '../../../src/core/dsp/loudness-windows.ts';
import { seededRandom } from '../../support/signals.ts';

/** Seeded energies over a wide range: loud passages, near-silence and exact zeros. */
function energies(frames: number, seed: number): Float64Array {
  const rand = seededRandom(seed);
  const e = new Float64Array(frames);
  let level = 1;
  for (let n = 0; n < frames; n++) {
    if (n % 7919 === 0) level = rand() < 0.2 ? 0 : 10 ** (-8 * rand());
    e[n] = level * rand();
  }
  return e;
}

function meanOver(e: Float64Array, end: number, length: number): number {
  let sum = 0;
  for (let n = end - length; n < end; n++) sum += e[n]!;
  return sum / length;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.abs(expected) + 1e-300, `${what}: ${actual} vs ${expected}`);
}

for (const rate of [48000, 44100, 8000]) {
  test(`400 ms and 3 s windows equal plain sums at ${rate} Hz, pushed in random lengths`, () => {
    const frames = rate * 9 + 1234;
    const e = energies(frames, rate);
    const windows = new LoudnessWindows(rate);
    const monoLike = new LoudnessWindows(rate, true);
    const rand = seededRandom(rate + 1);
    for (let at = 0; at < frames;) {
      const length = Math.min(frames - at, 1 + Math.floor(rand() * 9000));
      windows.push(e.subarray(at), length);
      monoLike.push(e.subarray(at), length);
      at += length;
    }
    const hop = windows.hop;
    const m = windows.momentarySeries.toArray(),
      s = windows.shortTermSeries.toArray();
    assert.ok(m.length >= 90, 'a value every 100 ms');
    m.forEach((v, k) => {
      const end = (k + 1) * hop;
      if (end < 4 * hop) assert.ok(Number.isNaN(v), `no momentary value before 400 ms (${k})`);
      else close(v, meanOver(e, end, 4 * hop), `momentary at hop ${k}`);
      if (end < 30 * hop) assert.ok(Number.isNaN(s[k]!), `no short-term value before 3 s (${k})`);
      else close(s[k]!, meanOver(e, end, 30 * hop), `short-term at hop ${k}`);
    });
    assert.equal(monoLike.blocks.toArray().length, windows.blocks.toArray().length);
    monoLike.blocks.toArray().forEach((v, k) => close(v, windows.blocks.toArray()[k]!, `gating block ${k}`));
    // The maxima are taken at every sub-block: the largest plain 400 ms / 3 s sum over sub-block ends.
    let maxM = -Infinity,
      maxS = -Infinity;
    for (let end = windows.sub; end <= frames; end += windows.sub) {
      if (end >= 4 * hop) maxM = Math.max(maxM, meanOver(e, end, 4 * hop));
      if (end >= 30 * hop) maxS = Math.max(maxS, meanOver(e, end, 30 * hop));
    }
    close(windows.maxMomentary, maxM, 'largest momentary');
    close(windows.maxShortTerm, maxS, 'largest short-term');
  });
}

test.run();
