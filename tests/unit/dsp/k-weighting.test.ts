import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kWeightingFilters } from '../../../src/core/dsp/k-weighting.ts';
import type { Biquad } from '../../../src/core/dsp/biquad.ts';

/** ITU-R BS.1770-4 Table 1 and Table 2 (48 kHz). */
const TABLE_PRE = {
  b0: 1.53512485958697,
  b1: -2.69169618940638,
  b2: 1.19839281085285,
  a1: -1.69065929318241,
  a2: 0.73248077421585,
};
const TABLE_RLB = { b0: 1.0, b1: -2.0, b2: 1.0, a1: -1.99004745483398, a2: 0.99007225036621 };

function gainDb(filters: Biquad[], freq: number, fs: number): number {
  let gain = 1;
  const w = (2 * Math.PI * freq) / fs;
  for (const f of filters) {
    const num = Math.hypot(
      f.b0 + f.b1 * Math.cos(w) + f.b2 * Math.cos(2 * w),
      -(f.b1 * Math.sin(w) + f.b2 * Math.sin(2 * w)),
    );
    const den = Math.hypot(
      1 + f.a1 * Math.cos(w) + f.a2 * Math.cos(2 * w),
      -(f.a1 * Math.sin(w) + f.a2 * Math.sin(2 * w)),
    );
    gain *= num / den;
  }
  return 20 * Math.log10(gain);
}

test('K-weighting derived at 48 kHz equals the BS.1770 table to 1e-12', () => {
  const [pre, rlb] = kWeightingFilters(48000);
  for (const key of ['b0', 'b1', 'b2', 'a1', 'a2'] as const) {
    assert.ok(Math.abs(pre[key] - TABLE_PRE[key]) < 1e-12, `pre-filter ${key}: ${pre[key]} vs ${TABLE_PRE[key]}`);
    assert.ok(Math.abs(rlb[key] - TABLE_RLB[key]) < 1e-12, `RLB ${key}: ${rlb[key]} vs ${TABLE_RLB[key]}`);
  }
});

test('K-weighting response is the same at 44.1, 88.2, 96 and 192 kHz as at 48 kHz up to 10 kHz', () => {
  const ref = kWeightingFilters(48000);
  for (const fs of [44100, 88200, 96000, 192000]) {
    const f = kWeightingFilters(fs);
    for (const freq of [20, 50, 100, 500, 1000, 2000, 5000, 10000]) {
      const d = gainDb(f, freq, fs) - gainDb(ref, freq, 48000);
      assert.ok(Math.abs(d) < 0.05, `${freq} Hz at ${fs} Hz differs by ${d} dB`);
    }
  }
});

test('K-weighting has the BS.1770 shape: about +4 dB shelf, high-pass at 38 Hz, +0.69 dB at 1 kHz', () => {
  const f = kWeightingFilters(48000);
  assert.ok(Math.abs(gainDb(f, 1000, 48000) - 0.691) < 0.01);
  assert.ok(Math.abs(gainDb(f, 15000, 48000) - 4.0) < 0.1);
  assert.ok(gainDb(f, 20, 48000) < -5);
});

test.run();
