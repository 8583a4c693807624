/**
 * EBU Tech 3341 (v4) minimum-requirement cases 1-6 and 9-23, synthesised, at 44.1, 48 and
 * 96 kHz. Tolerances: M, S, I +-0.1 LU; true peak +0.2/-0.4 dB.
 */
import { test } from 'uvu';
import { concat, dbToAmp, inPhase, sine, toneSequence, truePeakBurst } from '../../support/signals.ts';
import { measure, near } from './measure.ts';

const RATES = [44100, 48000, 96000];

for (const fs of RATES) {
  const stereo = (segments: [number, number][]) => inPhase(toneSequence(fs, segments));
  const at = `at ${fs} Hz`;

  test(`case 1: -23 dBFS stereo tone reads -23.0 LUFS (M, S, I) ${at}`, () => {
    const r = measure(stereo([[-23, 20]]), fs);
    near(r.loudness.integrated.value, -23, 0.1, 0.1, 'I');
    near(r.loudness.momentaryMax.value, -23, 0.1, 0.1, 'M');
    near(r.loudness.shortTermMax.value, -23, 0.1, 0.1, 'S');
  });

  test(`case 2: -33 dBFS stereo tone reads -33.0 LUFS ${at}`, () => {
    const r = measure(stereo([[-33, 20]]), fs);
    near(r.loudness.integrated.value, -33, 0.1, 0.1, 'I');
    near(r.loudness.momentaryMax.value, -33, 0.1, 0.1, 'M');
    near(r.loudness.shortTermMax.value, -33, 0.1, 0.1, 'S');
  });

  test(`case 3: relative gate removes -36 dBFS around -23 dBFS ${at}`, () => {
    near(
      measure(
        stereo([
          [-36, 10],
          [-23, 60],
          [-36, 10],
        ]),
        fs,
      ).loudness.integrated.value,
      -23,
      0.1,
      0.1,
      'I',
    );
  });

  test(`case 4: absolute and relative gates together ${at}`, () => {
    near(
      measure(
        stereo([
          [-72, 10],
          [-36, 10],
          [-23, 60],
          [-36, 10],
          [-72, 10],
        ]),
        fs,
      ).loudness.integrated.value,
      -23,
      0.1,
      0.1,
      'I',
    );
  });

  test(`case 5: -26/-20/-26 dBFS integrates to -23.0 LUFS ${at}`, () => {
    near(
      measure(
        stereo([
          [-26, 20],
          [-20, 20.1],
          [-26, 20],
        ]),
        fs,
      ).loudness.integrated.value,
      -23,
      0.1,
      0.1,
      'I',
    );
  });

  test(`case 6: 5.0 with L/R -28, C -24, Ls/Rs -30 dBFS reads -23.0 LUFS ${at}`, () => {
    const tone = (db: number) => toneSequence(fs, [[db, 20]]);
    const r = measure([tone(-28), tone(-28), tone(-24), tone(-30), tone(-30)], fs, ['FL', 'FR', 'FC', 'BL', 'BR']);
    near(r.loudness.integrated.value, -23, 0.1, 0.1, 'I');
  });

  test(`case 9: short-term constant at -23.0 after 3 s (1.34 s -20 / 1.66 s -30, x5) ${at}`, () => {
    const segs: [number, number][] = [];
    for (let i = 0; i < 5; i++) segs.push([-20, 1.34], [-30, 1.66]);
    const series = measure(stereo(segs), fs).loudness.series.shortTerm.value;
    for (let i = 29; i < series.length; i++) near(series[i]!, -23, 0.1, 0.1, `S at ${(i + 1) / 10} s`);
  });

  /**
   * Cases 10, 11, 13, 14: each burst is measured on its own, preceded by a silence whose length
   * moves the burst against the 10 ms evaluation grid; its maximum must equal its level.
   */
  const bursts = (what: 'M' | 'S', seconds: number, levels: number[], lead: number, drift: number) => {
    levels.forEach((level, i) => {
      const r = measure(
        stereo([
          [-Infinity, lead + i * drift],
          [level, seconds],
          [-Infinity, 0.2],
        ]),
        fs,
      );
      const max = what === 'M' ? r.loudness.momentaryMax.value : r.loudness.shortTermMax.value;
      near(max, level, 0.1, 0.1, `burst ${i + 1} at ${level} dBFS: ${what} max`);
    });
  };
  const ramp = Array.from({ length: 20 }, (_, i) => -38 + i);
  const flat = new Array<number>(20).fill(-23);

  test(`case 10: every 3 s burst at -23 dBFS shows S max -23.0 whatever its alignment ${at}`, () =>
    bursts('S', 3, flat, 0.2, 0.0173));
  test(`case 11: 3 s bursts from -38 to -19 dBFS show S max equal to their level ${at}`, () =>
    bursts('S', 3, ramp, 0.15, 0.0231));
  test(`case 12: momentary constant at -23.0 after 1 s (0.18 s -20 / 0.22 s -30, x25) ${at}`, () => {
    const segs: [number, number][] = [];
    for (let i = 0; i < 25; i++) segs.push([-20, 0.18], [-30, 0.22]);
    const series = measure(stereo(segs), fs).loudness.series.momentary.value;
    for (let i = 9; i < series.length; i++) near(series[i]!, -23, 0.1, 0.1, `M at ${(i + 1) / 10} s`);
  });

  test(`case 13: every 0.4 s burst at -23 dBFS shows M max -23.0 whatever its alignment ${at}`, () =>
    bursts('M', 0.4, flat, 0.2, 0.0137));
  test(`case 14: 0.4 s bursts from -38 to -19 dBFS show M max equal to their level ${at}`, () =>
    bursts('M', 0.4, ramp, 0.1, 0.0191));

  const tpCases: [number, number, number, number, number][] = [
    [15, 4, 0.5, 0, -6],
    [16, 4, 0.5, 45, -6],
    [17, 6, 0.5, 60, -6],
    [18, 8, 0.5, 67.5, -6],
    [19, 4, 1.41, 45, 3],
  ];
  for (const [n, div, amp, deg, expected] of tpCases) {
    test(`case ${n}: fs/${div} at ${amp}, ${deg} degrees reads ${expected} dBTP ${at}`, () => {
      const s = sine(fs, 1, fs / div, amp, (deg * Math.PI) / 180, 0.05);
      const r = measure([s, s.slice()], fs);
      near(r.peaks.truePeak.value, expected, 0.4, 0.2, 'true peak');
    });
  }

  for (let offset = 0; offset < 4; offset++) {
    test(`case ${20 + offset}: band-limited fs/4 burst decimated at offset ${offset} reads 0.0 dBTP ${at}`, () => {
      const s = truePeakBurst(fs, 0.5, offset);
      const r = measure([s, s.slice()], fs);
      near(r.peaks.truePeak.value, 0, 0.4, 0.2, 'true peak');
    });
  }
}

test('mono is measured as one channel: a -23 dBFS 1 kHz mono tone reads -26.0 LUFS', () => {
  const r = measure([toneSequence(48000, [[-23, 10]])], 48000);
  near(r.loudness.integrated.value, -26, 0.1, 0.1, 'I');
  if (!r.conventions.loudness.includes('ONE channel')) throw new Error('convention not stated');
});

test('a tone at sample peak 0.5 has sample peak -6.02 dBFS', () => {
  const r = measure(inPhase(concat([sine(48000, 1, 997, dbToAmp(-6.0206))])), 48000);
  near(r.peaks.samplePeak.value, -6.02, 0.01, 0.01, 'sample peak');
});

test.run();
