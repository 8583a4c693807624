/** Shared bits of the rules: the references they cite and the time lists they report. */

/** The documents the thresholds rest on. */
export const REF = {
  bs1770: 'ITU-R BS.1770-5 Annex 2 (true peak, 4x oversampling)',
  clipping: 'Full-scale runs as counted by common mastering meters (3 consecutive samples); AES17 defines full scale',
  r128: 'EBU R 128 (2023) and EBU Tech 3343 (loudness range guidance)',
  a85: 'ATSC A/85:2013',
  target: "the selected target's published specification (see mixdesk targets)",
  stereo: 'Phase correlation (IEC 60268-18 correlation meter convention: +1 mono, -1 out of phase)',
  heuristic: 'Mixdesk heuristic (threshold stated in the message; not from a standard)',
  aes: 'AES TD1008 (2021), recommendations for loudness of internet audio streaming and on-demand distribution',
} as const;

/** The first `max` times, ascending and de-duplicated to 10 ms. */
export function firstTimes(times: number[], max = 20): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of sorted) {
    if (out.length >= max) break;
    if (out.length === 0 || t - out[out.length - 1]! >= 0.01) out.push(Math.round(t * 1000) / 1000);
  }
  return out;
}

/** Starts of the runs of a 10 Hz series where `test` holds for at least `minRun` values. */
export function seriesRuns(
  series: (number | null)[],
  interval: number,
  test: (v: number) => boolean,
  minRun = 3,
  max = 20,
): number[] {
  const out: number[] = [];
  let start = -1;
  for (let i = 0; i <= series.length; i++) {
    const v = series[i];
    const hit = v !== undefined && v !== null && test(v);
    if (hit && start < 0) start = i;
    if (!hit && start >= 0) {
      if (i - start >= minRun) out.push(Math.round(start * interval * 10) / 10);
      start = -1;
      if (out.length >= max) break;
    }
  }
  return out;
}
