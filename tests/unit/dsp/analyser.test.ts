import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeAnalyser } from '../../../src/core/dsp/analyser.ts';
import { InvalidSampleError } from '../../../src/core/dsp/channel-levels.ts';
import { compareToTarget, TARGETS } from '../../../src/core/dsp/targets.ts';
import { concat, dbToAmp, inPhase, mixLike, seededRandom, sine, toneSequence } from '../../support/signals.ts';
import { measure, near } from './measure.ts';

const FS = 48000;

test('results do not depend on how the stream is chunked (seeded random chunk sizes)', () => {
  const seed = 1234;
  const rand = seededRandom(seed);
  const sig = mixLike(FS, 8, 7);
  const whole = measure(sig, FS);
  const a = makeAnalyser({ sampleRate: FS, channels: 2 });
  for (let o = 0; o < sig[0]!.length;) {
    const n = 1 + Math.floor(rand() * 20000);
    a.push(sig.map((c) => c.subarray(o, o + n)));
    o += n;
  }
  const chunked = a.finish();
  const msg = `seed ${seed}`;
  assert.ok(Math.abs(whole.loudness.integrated.value! - chunked.loudness.integrated.value!) < 1e-9, msg);
  assert.ok(Math.abs(whole.peaks.truePeak.value! - chunked.peaks.truePeak.value!) < 1e-9, msg);
  assert.ok(Math.abs(whole.loudness.momentaryMax.value! - chunked.loudness.momentaryMax.value!) < 1e-9, msg);
  assert.equal(whole.spectrum.tonalBalance, chunked.spectrum.tonalBalance, msg);
});

test('a NaN sample is rejected with its channel and time', () => {
  const l = new Float32Array(FS),
    r = new Float32Array(FS);
  r[24000] = NaN;
  const a = makeAnalyser({ sampleRate: FS, channels: 2 });
  assert.throws(
    () => a.push([l, r]),
    (e: Error) => e instanceof InvalidSampleError && /channel 2 at 0\.500000 s/.test(e.message),
  );
});

test('an infinite sample is rejected', () => {
  const x = new Float32Array(100);
  x[3] = Infinity;
  assert.throws(() => makeAnalyser({ sampleRate: FS, channels: 1 }).push([x]), /infinite sample/);
});

test('0 or more than 32 channels are refused with a clear message', () => {
  assert.throws(() => makeAnalyser({ sampleRate: FS, channels: 0 }), /0 channels/);
  assert.throws(() => makeAnalyser({ sampleRate: FS, channels: 33 }), /33 channels/);
});

test('clipping: only runs of 3+ full-scale samples count, with their positions', () => {
  const x = new Float32Array(FS);
  x[100] = 1;
  x[101] = 1; // run of 2: not clipping
  x[1000] = 1;
  x[1001] = -1;
  x[1002] = 1;
  x[1003] = 1; // run of 4
  const r = measure([x], FS);
  assert.is(r.clipping.runs.value, 1);
  assert.is(r.clipping.samples.value, 4);
  assert.equal(r.channels[0]!.clipPositions.value, [{ startSeconds: 1000 / FS, samples: 4 }]);
});

test('DC offset, head and tail silence are measured per file', () => {
  const x = concat([new Float32Array(FS / 2), sine(FS, 1, 440, 0.5), new Float32Array(FS)]).map((v) => v + 0.01);
  const r = measure([x], FS);
  near(r.channels[0]!.dcOffset.value, 0.01, 1e-4, 1e-4, 'dc');
  near(r.silence.head.value, 0, 0, 0.001, 'head silence with DC above -60 dBFS');
  const y = concat([new Float32Array(FS / 2), sine(FS, 1, 440, 0.5), new Float32Array(FS)]);
  const q = measure([y], FS);
  near(q.silence.head.value, 0.5, 0.001, 0.001, 'head');
  near(q.silence.tail.value, 1, 0.001, 0.001, 'tail');
});

test('stereo: in phase reads correlation +1 and no mono loss; out of phase reads -1', () => {
  const s = sine(FS, 4, 100, 0.5);
  const same = measure([s, s.slice()], FS).stereo!;
  near(same.correlation.value, 1, 1e-6, 1e-6, 'correlation');
  near(same.lowBandCorrelation.value, 1, 1e-6, 1e-6, 'low-band correlation');
  near(same.monoCompatibility.value, 0, 0.01, 0.01, 'mono compatibility');
  assert.is(same.width.value, null);
  const opposite = measure([s, s.map((v) => -v)], FS).stereo!;
  near(opposite.correlation.value, -1, 1e-6, 1e-6, 'correlation');
  assert.is(opposite.monoCompatibility.value, null);
});

test('stereo: a louder left channel shows in balance', () => {
  const s = sine(FS, 2, 500, 0.5);
  near(measure([s, s.map((v) => v / 2)], FS).stereo!.balance.value, 6.02, 0.01, 0.01, 'balance');
});

test('LFE is excluded from loudness and surrounds weigh +1.5 dB', () => {
  const tone = toneSequence(FS, [[-23, 5]]);
  const silent = new Float32Array(tone.length);
  const withLfe = measure([tone, tone, silent, sine(FS, 5, 50, 0.9), silent, silent], FS, [
    'FL',
    'FR',
    'FC',
    'LFE',
    'BL',
    'BR',
  ]);
  near(withLfe.loudness.integrated.value, -23, 0.1, 0.1, 'I with LFE');
  const surround = measure([silent, silent, silent, silent, tone, silent], FS, ['FL', 'FR', 'FC', 'LFE', 'BL', 'BR']);
  near(surround.loudness.integrated.value, -26 + 1.49, 0.1, 0.1, 'I of one surround');
});

test('true-peak overs above -1 and 0 dBTP are counted as events with positions', () => {
  const fs4 = sine(FS, 1, FS / 4, 1.1, Math.PI / 4, 0.05); // true peak +0.83 dBTP, samples at 0.78
  const r = measure([concat([new Float32Array(FS), fs4])], FS);
  assert.ok(r.peaks.oversAbove0.count.value >= 1);
  assert.ok(r.peaks.oversAboveMinus1.count.value >= 1);
  assert.ok(r.peaks.oversAbove0.positions.value[0]! >= 1);
  assert.ok(r.peaks.truePeak.value! > r.peaks.samplePeak.value! + 1);
});

test('spectrum: a 1 kHz tone lands in the mid band and the 1 kHz third-octave at about -3 dBFS RMS', () => {
  const r = measure(inPhase(sine(FS, 3, 1000, dbToAmp(-6))), FS);
  near(r.spectrum.tonalBalance.mid.value, 0, 0.01, 0.01, 'mid share');
  const i1k = r.spectrum.thirdOctaveCentres.value.indexOf(1000);
  near(r.spectrum.thirdOctave.value[i1k]!, -6, 0.2, 0.2, '1 kHz band');
  const peakBin = Math.round(1000 / r.spectrum.binWidth.value);
  near(r.spectrum.average.value[peakBin]!, -6, 1.5, 0.2, 'bin magnitude');
  assert.ok(r.spectrum.fftSize.value >= 8192);
});

test('targets: the gain to Spotify and the ceiling check follow the measured figures', () => {
  const r = measure(inPhase(toneSequence(FS, [[-23, 5]])), FS);
  const c = compareToTarget(r, TARGETS.spotify);
  near(c.gainToTargetDb, 9, 0.1, 0.1, 'gain');
  assert.is(c.truePeakWithinCeiling, true);
});

test('a full-scale-sine RMS reads 0 dBFS and crest factor 3.01 dB', () => {
  const r = measure([sine(FS, 2, 1000, 1)], FS);
  near(r.dynamics.rms.value, 0, 0.01, 0.01, 'rms');
  near(r.dynamics.crestFactor.value, 3.01, 0.01, 0.01, 'crest');
});

test.run();
