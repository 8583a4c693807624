/** EBU Tech 3342 loudness-range cases 1-4 (LRA +-1 LU), at 44.1, 48 and 96 kHz, plus the undefined case. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inPhase, toneSequence } from '../../support/signals.ts';
import { measure, near } from './measure.ts';

const CASES: [number, [number, number][], number][] = [
  [
    1,
    [
      [-20, 20],
      [-30, 20],
    ],
    10,
  ],
  [
    2,
    [
      [-20, 20],
      [-15, 20],
    ],
    5,
  ],
  [
    3,
    [
      [-40, 20],
      [-20, 20],
    ],
    20,
  ],
  [
    4,
    [
      [-50, 20],
      [-35, 20],
      [-20, 20],
      [-35, 20],
      [-50, 20],
    ],
    15,
  ],
];

for (const fs of [44100, 48000, 96000]) {
  for (const [n, segments, lra] of CASES) {
    test(`Tech 3342 case ${n}: LRA ${lra} LU at ${fs} Hz`, () => {
      near(measure(inPhase(toneSequence(fs, segments)), fs).loudness.range.value, lra, 1, 1, 'LRA');
    });
  }
}

test('LRA of a file shorter than 3 s is undefined, with a note, not the gate width', () => {
  const r = measure(inPhase(toneSequence(48000, [[-20, 2]])), 48000);
  assert.is(r.loudness.range.value, null);
  assert.ok(r.loudness.rangeNote.length > 0);
});

test('integrated loudness of silence is undefined, not -70', () => {
  const r = measure([new Float32Array(48000 * 2), new Float32Array(48000 * 2)], 48000);
  assert.is(r.loudness.integrated.value, null);
  assert.ok(r.warnings.some((w) => w.includes('integrated loudness undefined')));
});

test.run();
