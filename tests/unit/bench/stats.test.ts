import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { median, medianInterval } from '../../../scripts/bench/stats.ts';

// Regression: most benchmarks took the upper of the two middle values as the median of an even
// number of runs; bench:sync's paired p99 ratio of 8 runs read 1.33 where the median was 1.21.
test('the median of an even count is the mean of the two middle values', () => {
  assert.is(median([0.73, 3.63, 0.6, 1.08, 0.89, 1.33, 1.55, 1.44]), (1.08 + 1.33) / 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.is(median([5, 1, 3]), 3);
  assert.is(median([7]), 7);
});

test('the interval of the median is the order statistics the binomial tail allows', () => {
  const eight = [8, 1, 7, 2, 6, 3, 5, 4];
  // P(B(8, 1/2) <= 1) = 9/256: 2nd to 7th, 1 - 18/256.
  assert.equal(medianInterval(eight), { low: 2, high: 7, coverage: 1 - 18 / 256 });
  // P(B(16, 1/2) <= 4) = 2517/65536: 5th to 12th; the 4th to 13th would be needlessly wide.
  const sixteen = Array.from({ length: 16 }, (_, i) => 16 - i);
  assert.equal(medianInterval(sixteen), { low: 5, high: 12, coverage: 1 - (2 * 2517) / 65536 });
  // Asking for more confidence widens it: 99% needs the 1st to 8th of eight (1 - 2/256).
  assert.equal(medianInterval(eight, 0.99), { low: 1, high: 8, coverage: 1 - 2 / 256 });
});

test('too few values give the whole range, with the lower coverage it really has', () => {
  assert.equal(medianInterval([3, 1, 2]), { low: 1, high: 3, coverage: 0.75 });
  assert.equal(medianInterval([9]), { low: 9, high: 9, coverage: 0 });
});

test.run();
