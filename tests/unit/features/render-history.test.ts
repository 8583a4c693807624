/**
 * The report's render history: an entry keeps the settings and the figures before and after,
 * never audio; two renders made at once on two copies of the report both survive the merge;
 * the list is capped so a shared report cannot grow without bound.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import type { RenderRecord } from '../../../src/core/dsp/render/render-summary.ts';
import { addRenderRecord, MAX_RENDERS, readRenderHistory } from '../../../src/features/analysis/render-history.ts';

function record(at: number, verdict: RenderRecord['verdict'] = 'on-target'): RenderRecord {
  const figures = {
    integratedLufs: -20,
    loudnessRangeLu: 8,
    truePeakDbtp: -3,
    samplePeakDbfs: -3.1,
    shortTermMaxLufs: -15,
    plrDb: 17,
    oversAbove0: 0,
  };
  return {
    renderedAt: at,
    inputName: 'mix.wav',
    outputName: 'mix-spotify.wav',
    settings: {
      target: { id: 'spotify', name: 'Spotify', integratedLufs: -14, ceilingDbtp: -1 },
      format: 'pcm24',
      ceilingDbtp: -1,
      lookaheadMs: 3,
      releaseMs: 100,
      maxReductionDb: 6,
      force: false,
    },
    plan: {
      inputLufs: -20,
      inputTruePeakDbtp: -3,
      gainToTargetDb: 6,
      gainDb: 6,
      expectedReductionDb: 2,
      reductionToTargetDb: 2,
      maxReductionDb: 6,
      capped: false,
      forced: false,
      warning: null,
    },
    limiter: { maxReductionDb: 2, limitedFrames: 10, frames: 1000 },
    before: figures,
    after: { ...figures, integratedLufs: -14.1, truePeakDbtp: -1.02 },
    verdict,
    verdictText: 'on target',
    elapsedMs: 1234,
  };
}

test('a render entry keeps settings and before/after figures, newest first, and survives a round trip', () => {
  const doc = new Y.Doc();
  addRenderRecord(doc, record(1));
  addRenderRecord(doc, record(2, 'under-target'));
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const history = readRenderHistory(copy);
  assert.equal(
    history.map((h) => h.renderedAt),
    [2, 1],
  );
  assert.is(history[0]!.verdict, 'under-target');
  assert.is(history[1]!.after.truePeakDbtp, -1.02);
  assert.is(history[1]!.settings.target.id, 'spotify');
});

test('two renders recorded at once on two copies both stay after they merge', () => {
  const a = new Y.Doc(),
    b = new Y.Doc();
  addRenderRecord(a, record(10));
  addRenderRecord(b, record(20));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  assert.equal(
    readRenderHistory(a)
      .map((h) => h.renderedAt)
      .sort(),
    [10, 20],
  );
  assert.equal(readRenderHistory(a), readRenderHistory(b));
});

test(`the history is capped at ${MAX_RENDERS} entries, the oldest dropped`, () => {
  const doc = new Y.Doc();
  for (let i = 0; i < MAX_RENDERS + 5; i++) addRenderRecord(doc, record(i));
  const history = readRenderHistory(doc);
  assert.is(history.length, MAX_RENDERS);
  assert.is(history[0]!.renderedAt, MAX_RENDERS + 4);
  assert.is(history.at(-1)!.renderedAt, 5);
});

test.run();
