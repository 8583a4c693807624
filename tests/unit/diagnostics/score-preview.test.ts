/** The score's arithmetic, the verdicts, and each platform's normalisation preview against hand-computed values. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DELIVERY_TARGETS, findTarget, type StreamingTarget } from '../../../src/core/diagnostics/delivery-targets.ts';
import type { Diagnostic, Severity } from '../../../src/core/diagnostics/diagnostic.ts';
import { normalisationPreview } from '../../../src/core/diagnostics/normalisation-preview.ts';
import { scoreExplanation, scoreOf, verdictOf, verdictText } from '../../../src/core/diagnostics/score.ts';
import type { AnalysisResult } from '../../../src/core/dsp/result-schema.ts';

const d = (severity: Severity): Diagnostic => ({
  id: 'x',
  severity,
  title: '',
  message: '',
  evidence: [],
  at: [],
  fix: '',
  reference: '',
});
/** A result carrying only what the preview reads. */
const result = (lufs: number | null, tp: number | null) =>
  ({ loudness: { integrated: { value: lufs } }, peaks: { truePeak: { value: tp } } }) as unknown as AnalysisResult;
const platform = (id: string) => findTarget(id) as StreamingTarget;

test('score: 100 minus 30 per error and 10 per warning, info free, floored at 0', () => {
  assert.is(scoreOf([]), 100);
  assert.is(scoreOf([d('info'), d('info')]), 100);
  assert.is(scoreOf([d('error'), d('warning'), d('warning'), d('info')]), 50);
  assert.is(scoreOf([d('error'), d('error'), d('error'), d('error')]), 0);
  assert.is(scoreExplanation([d('error'), d('warning'), d('warning')]), '100 - 1 error x 30 - 2 warnings x 10 = 50');
});

test('verdict: fail on any error, warn on warnings only, pass otherwise; worded per kind of target', () => {
  assert.is(verdictOf([d('info')]), 'pass');
  assert.is(verdictOf([d('warning'), d('info')]), 'warn');
  assert.is(verdictOf([d('warning'), d('error')]), 'fail');
  assert.is(verdictText('fail', 'broadcast'), 'Fail');
  assert.is(verdictText('fail', 'streaming'), 'Fix before release');
  assert.is(verdictText('pass', 'streaming'), 'Ready');
});

test('Spotify turns a -8.8 LUFS master down 5.2 dB, and raises a -20 LUFS / -5 dBTP one only to -16 LUFS (its own example)', () => {
  const loud = normalisationPreview(result(-8.8, -0.1), platform('spotify'));
  assert.ok(Math.abs(loud.gainDb! - -5.2) < 1e-9);
  assert.is(loud.sentence, "Spotify will play this 5.2 dB quieter; your limiter's work above -14 LUFS is thrown away.");
  const quiet = normalisationPreview(result(-20, -5), platform('spotify'));
  assert.is(quiet.gainDb, 4);
  assert.is(quiet.playedLufs, -16);
  assert.ok(quiet.limitedByPeak);
  assert.match(quiet.sentence, /raise this 4\.0 dB \(not the full 6\.0 dB/);
});

test('Apple Music raises a -18 LUFS master 2 dB all the way, so a -1.6 dBTP peak lands at +0.4 dBTP', () => {
  const p = normalisationPreview(result(-18, -1.6), platform('apple'));
  assert.is(p.gainDb, 2);
  assert.ok(Math.abs(p.peakAfterDbtp! - 0.4) < 1e-9);
  assert.is(
    p.sentence,
    'Apple Music will raise this 2.0 dB; it will then peak at +0.4 dBTP, over full scale: the player must limit or clip it.',
  );
});

test('YouTube, Tidal, Amazon and Deezer only turn down; SoundCloud does not normalise', () => {
  for (const id of ['youtube', 'tidal', 'amazon', 'deezer']) {
    assert.is(normalisationPreview(result(-20, -3), platform(id)).gainDb, 0, id);
    assert.is(normalisationPreview(result(-8, -0.1), platform(id)).gainDb, platform(id).referenceLufs + 8, id);
  }
  const sc = normalisationPreview(result(-8, -0.1), platform('soundcloud'));
  assert.is(sc.gainDb, 0);
  assert.match(sc.sentence, /does not normalise by default/);
});

test('the preview says when loudness is undefined instead of inventing a gain', () => {
  const p = normalisationPreview(result(null, null), platform('spotify'));
  assert.is(p.gainDb, null);
  assert.match(p.sentence, /undefined/);
});

test('every target in the table has a source URL and a status; ids are unique', () => {
  const ids = new Set<string>();
  for (const t of DELIVERY_TARGETS) {
    assert.ok(/^https:\/\//.test(t.source.url), t.id);
    assert.ok(t.source.note.length > 20, t.id);
    assert.ok(!ids.has(t.id), t.id);
    ids.add(t.id);
  }
  for (const id of ['spotify', 'apple', 'youtube', 'tidal', 'amazon', 'deezer', 'soundcloud', 'ebu-r128', 'atsc-a85'])
    assert.ok(ids.has(id), id);
});

test.run();
