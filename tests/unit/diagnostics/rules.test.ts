/**
 * The rules engine rule by rule, on generated signals measured by the real analyser: each
 * fault fires its rule (with evidence and times), and a clean mix fires none of them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findTarget, type DeliveryTarget } from '../../../src/core/diagnostics/delivery-targets.ts';
import { diagnose } from '../../../src/core/diagnostics/diagnose.ts';
import type { Diagnostic } from '../../../src/core/diagnostics/diagnostic.ts';
import { sourceFactsFrom } from '../../../src/core/diagnostics/diagnostic.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';
import { concat, dbToAmp, inPhase, mixLike, sine } from '../../support/signals.ts';
import { measure } from '../dsp/measure.ts';

const FS = 48000;
const target = (id: string): DeliveryTarget => findTarget(id)!;
const spotify = target('spotify'),
  r128 = target('ebu-r128');

function find(result: AnalysisResult, id: string, t: DeliveryTarget = spotify): Diagnostic | undefined {
  return diagnose(result, t).diagnostics.find((d) => d.id === id);
}
function ids(result: AnalysisResult, t: DeliveryTarget = spotify): string[] {
  return diagnose(result, t).diagnostics.map((d) => `${d.id}:${d.severity}`);
}
const scale = (p: Float32Array[], g: number) => p.map((c) => c.map((v) => v * g));

/** A clean mix: mix-like programme without DC, faded out over its last second, at -16 LUFS. */
const mix = mixLike(FS, 8, 3).map((c) => {
  const mean = c.reduce((a, v) => a + v, 0) / c.length;
  return c.map((v, i) => (v - mean) * Math.min(1, (c.length - i) / FS));
});
const mixResult = measure(mix, FS);
const cleanGain = dbToAmp(-16 - mixResult.loudness.integrated.value!);
const clean = scale(mix, cleanGain);
const cleanResult = measure(clean, FS);

test('a clean mix at -16 LUFS fires no warning or error for Apple Music or Spotify, and the score is 100', () => {
  assert.equal(
    diagnose(cleanResult, spotify)
      .diagnostics.filter((x) => x.severity !== 'info')
      .map((x) => x.id),
    [],
  );
  const d = diagnose(cleanResult, target('apple'));
  assert.equal(
    d.diagnostics.filter((x) => x.severity !== 'info').map((x) => x.id),
    [],
    JSON.stringify(d.diagnostics.map((x) => x.message)),
  );
  assert.is(d.score, 100);
  assert.is(d.verdict, 'pass');
});

test('clipping: a hard-clipped master is an error with the clip times as evidence', () => {
  const clipped = scale(mix, cleanGain * 6).map((c) => c.map((v) => Math.max(-1, Math.min(1, v))));
  const r = measure(clipped, FS);
  const d = find(r, 'clipping')!;
  assert.ok(d, 'clipping fires');
  assert.is(d.severity, 'error');
  assert.ok(d.at.length > 0 && d.at.every((t) => t >= 0 && t <= 8), `times ${d.at}`);
  assert.ok(
    d.at.some((t) => t > 0.01),
    'times are real, not all 0.000 s',
  );
  assert.match(d.message, /clipping run/);
  // Regression: a clipped master showed "Overs above 0 dBTP: 147,285" next to "above -1 dBTP: 62,980".
  assert.ok(
    r.peaks.oversAbove0.count.value <= r.peaks.oversAboveMinus1.count.value,
    `overs above 0 (${r.peaks.oversAbove0.count.value}) are a subset of overs above -1 (${r.peaks.oversAboveMinus1.count.value})`,
  );
  assert.ok(find(r, 'inter-sample-overs'), 'inter-sample overs fire too');
  assert.is(
    find(r, 'true-peak-ceiling')?.severity,
    'warning',
    'true peak over the ceiling is a warning for a platform',
  );
  assert.is(find(r, 'true-peak-ceiling', r128)?.severity, 'error', 'and an error for broadcast');
});

test('polarity: one side inverted is an error, with the times it is out of phase', () => {
  const inverted = [mix[0]!, mix[1]!.map((v) => -v)];
  const r = measure(scale(inverted, cleanGain), FS);
  const d = find(r, 'polarity')!;
  assert.is(d.severity, 'error');
  assert.ok(d.evidence[0]!.value! < -0.3);
  assert.ok(d.at.length > 0, 'times where correlation is below -0.3');
  assert.ok(find(r, 'mono-compatibility'), 'the mono sum loses level');
});

test('dc offset: 0.01 on one channel is a warning naming the channel', () => {
  const withDc = [clean[0]!.map((v) => v + 0.01), clean[1]!];
  const d = find(measure(withDc, FS), 'dc-offset')!;
  assert.is(d.severity, 'warning');
  assert.match(d.message, /Channel FL/);
  assert.is(find(cleanResult, 'dc-offset'), undefined);
});

test('dual mono: the same signal on both channels is info, not a fault', () => {
  const r = measure(inPhase(clean[0]!), FS);
  assert.is(find(r, 'dual-mono')?.severity, 'info');
  assert.is(find(cleanResult, 'dual-mono'), undefined);
});

test('channel imbalance: left 3 dB hotter is a warning', () => {
  const r = measure([clean[0]!.map((v) => v * dbToAmp(3)), clean[1]!], FS);
  const d = find(r, 'channel-imbalance')!;
  assert.is(d.severity, 'warning');
  assert.match(d.message, /left/);
});

test('head silence: 3 s of silence before the music is a warning at 0 s; 1 s is info', () => {
  const pad = (s: number) => clean.map((c) => concat([new Float32Array(Math.round(s * FS)), c]));
  assert.is(find(measure(pad(3), FS), 'head-silence')?.severity, 'warning');
  assert.is(find(measure(pad(1), FS), 'head-silence')?.severity, 'info');
  assert.is(find(cleanResult, 'head-silence'), undefined);
});

test('truncated ending: audio that stops at full level is flagged; a fade-out is not', () => {
  const tone = sine(FS, 6, 440, 0.5);
  assert.is(find(measure(inPhase(tone), FS), 'truncated-ending')?.severity, 'warning');
  const faded = sine(FS, 6, 440, 0.5, 0, 1);
  const tail = concat([faded, new Float32Array(FS)]);
  assert.is(find(measure(inPhase(tail), FS), 'truncated-ending'), undefined);
});

test('truncated file: a decoder truncation warning is an error', () => {
  const r = structuredClone(cleanResult);
  r.warnings.push(
    'x.wav: truncated: the data chunk declares 1000 bytes but only 10 are present; analysed up to 0:00 of 0:01',
  );
  assert.is(find(r, 'truncated-ending')?.severity, 'error');
});

test('low end: a mix of mostly 50 Hz is too heavy; a 3 kHz tone has no low end', () => {
  const heavy = sine(FS, 6, 50, 0.5);
  const light = clean[0]!.slice(0, heavy.length).map((v) => v * 0.1);
  const r = measure(inPhase(heavy.map((v, i) => v + light[i]!)), FS);
  assert.match(find(r, 'low-end')!.title, /heavy/);
  assert.match(find(measure(inPhase(sine(FS, 6, 3000, 0.3)), FS), 'low-end')!.title, /no low end/);
  assert.is(find(cleanResult, 'low-end'), undefined);
});

test('over-compressed: a saturated master (PLR below 8 LU) is a warning', () => {
  const squashed = scale(mix, cleanGain * 8).map((c) => c.map((v) => 0.89 * Math.tanh(v)));
  const r = measure(squashed, FS);
  assert.ok(r.dynamics.plr.value! < 8, `PLR ${r.dynamics.plr.value}`);
  assert.is(find(r, 'dynamics')?.severity, 'warning');
  assert.is(find(cleanResult, 'dynamics'), undefined);
});

// Regression: a steady 1 kHz sine at -23 dBFS (PLR a hair below zero) read "Peak-to-loudness
// ratio -0.0 LU" in the Over-compressed warning.
test('over-compressed: a PLR that rounds to zero reads 0.0 LU, never -0.0', () => {
  const r = measure(inPhase(sine(FS, 6, 1000, dbToAmp(-23))), FS);
  assert.ok(Math.abs(r.dynamics.plr.value!) < 0.05, `PLR ${r.dynamics.plr.value}`);
  const message = find(r, 'dynamics')!.message;
  assert.match(message, /ratio 0\.0 LU/, message);
});

test('under-level: a -30 LUFS master plays quiet on YouTube (never raised) and fails EBU R 128 the other way', () => {
  const quiet = measure(scale(clean, dbToAmp(-16)), FS);
  const yt = find(quiet, 'normalisation', target('youtube'))!;
  assert.is(yt.severity, 'warning');
  assert.match(yt.message, /YouTube will not raise this: it plays 18\.0 dB quieter/, yt.message);
  const loud = measure(scale(clean, dbToAmp(-9 + 14 - 23 + 14)), FS); // about -18 LUFS
  assert.is(find(loud, 'loudness-off-target', r128)?.severity, 'error');
  assert.match(find(loud, 'loudness-off-target', r128)!.message, /above EBU R 128/);
});

test('loudness range: a programme with more than 20 LU of range is flagged for EBU R 128 only', () => {
  // Steps of 6 dB from full level down to -18 dB: short-term loudness spreads over about 18 LU.
  const steps = [0, -6, -12, -18, -12, -6].map((db) => clean.map((c) => c.map((v) => v * dbToAmp(db))));
  const r0 = measure(
    [0, 1].map((ch) => concat(steps.map((s) => s[ch]!))),
    FS,
  );
  assert.ok(r0.loudness.range.value! > 12, `LRA ${r0.loudness.range.value}`);
  // The rule compares with the target's limit (20 LU for R 128): check both sides of it.
  const r = structuredClone(r0);
  r.loudness.range.value = 20.5;
  assert.is(find(r0, 'loudness-range', r128), undefined, 'below the limit: nothing');
  assert.is(find(r, 'loudness-range', r128)?.severity, 'warning');
  assert.is(find(r, 'loudness-range', spotify), undefined);
});

test('format: 44.1 kHz for broadcast, 8-bit and lossy sources are flagged', () => {
  const at441 = measure(inPhase(sine(44100, 2, 1000, 0.1)), 44100);
  assert.match(find(at441, 'format', r128)!.message, /48000 Hz/);
  assert.is(
    diagnose(cleanResult, spotify, sourceFactsFrom('PCM 8-bit')).diagnostics.find((d) => d.id === 'format')?.severity,
    'error',
  );
  assert.match(
    diagnose(cleanResult, spotify, sourceFactsFrom('MP3')).diagnostics.find((d) => d.id === 'format')!.message,
    /lossy/,
  );
  assert.is(
    diagnose(cleanResult, spotify, sourceFactsFrom('PCM 24-bit')).diagnostics.find((d) => d.id === 'format'),
    undefined,
  );
});

test('diagnostics list errors first, then warnings, then info', () => {
  const clipped = measure(
    scale(mix, cleanGain * 6).map((c) => c.map((v) => Math.max(-1, Math.min(1, v)))),
    FS,
  );
  const order = ids(clipped).map((s) => s.split(':')[1]);
  const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
  for (let i = 1; i < order.length; i++) assert.ok(rank[order[i - 1]!]! <= rank[order[i]!]!, order.join(','));
});

test.run();
