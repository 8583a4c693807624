/**
 * The statistics the benchmarks quote: the median of a few runs, and how far to trust it.
 *
 * Benchmarks here run a handful of times on a shared 2-core machine whose scheduling noise is
 * larger than many of the differences they look for (an idle busy loop sees gaps of up to 8 ms),
 * so a median alone invites reading noise as a result. `medianInterval` says which values the
 * median lies between with a stated confidence, assuming nothing about their distribution.
 */

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface MedianInterval {
  low: number;
  high: number;
  /** The chance the true median lies in [low, high] (1 - 2 P(Binomial(n, 1/2) < k)). */
  coverage: number;
}

/**
 * The narrowest interval between order statistics (the k-th lowest and the k-th highest value)
 * that holds the true median with at least `minCoverage`, or the whole range (with its lower
 * coverage) when there are too few values for that. Distribution-free: each value lies below the
 * median with probability 1/2, so the count below is Binomial(n, 1/2). With 8 values it is the
 * 2nd to the 7th (93%); with 16, the 5th to the 12th (92%).
 */
export function medianInterval(values: readonly number[], minCoverage = 0.9): MedianInterval {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { low: NaN, high: NaN, coverage: 0 };
  // Interval [x(k), x(n+1-k)]: the median is outside it when fewer than k values lie below it
  // or fewer than k above, each with probability P(B <= k - 1), B ~ Binomial(n, 1/2).
  let k = 1;
  let tail = 0.5 ** n; // P(B <= k - 1)
  let term = tail; // P(B = k - 1)
  for (let j = 1; 2 * (j + 1) <= n; j++) {
    term = (term * (n - j + 1)) / j;
    if (1 - 2 * (tail + term) < minCoverage) break;
    tail += term;
    k = j + 1;
  }
  return { low: sorted[k - 1]!, high: sorted[n - k]!, coverage: 1 - 2 * tail };
}
