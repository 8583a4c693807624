/**
 * A report's references: each keeps its figures and file name (no overview, no audio); two
 * references added at once on two copies of the report both survive the merge; an eighth is the
 * last one taken (a ninth is refused, none dropped); removing one by id leaves the others.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { MAX_REFERENCES } from '../../../src/core/dsp/compare.ts';
import type { StreamSummary } from '../../../src/core/analysis/worker-contract.ts';
import {
  addReference,
  readReferences,
  referenceList,
  removeReference,
  type SavedReference,
} from '../../../src/features/analysis/reference-doc.ts';
import { sine } from '../../support/signals.ts';
import { measure } from '../dsp/measure.ts';

const result = measure([sine(48000, 1, 1000, 0.5), sine(48000, 1, 1000, 0.5)], 48000);

function reference(id: string): SavedReference {
  return {
    id,
    fileName: `${id}.wav`,
    stream: { sampleRate: 48000, channels: 2 } as StreamSummary,
    result,
    analysedAt: 1,
  };
}

test('a reference keeps its file name and figures, not the overview', () => {
  const doc = new Y.Doc();
  assert.ok(result.overview, 'the measured result has an overview to leave out');
  assert.ok(addReference(doc, reference('a')));
  const [saved] = readReferences(doc);
  assert.is(saved!.fileName, 'a.wav');
  assert.is(saved!.result.loudness.integrated.value, result.loudness.integrated.value);
  assert.is(saved!.result.overview, undefined);
});

test('references added on two copies at once both stay after the merge', () => {
  const one = new Y.Doc(),
    two = new Y.Doc();
  addReference(one, reference('a'));
  addReference(two, reference('b'));
  Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
  Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
  assert.equal(
    readReferences(one)
      .map((r) => r.id)
      .sort(),
    ['a', 'b'],
  );
  assert.equal(
    readReferences(one).map((r) => r.id),
    readReferences(two).map((r) => r.id),
  );
});

test(`at most ${MAX_REFERENCES} references: one more is refused, none dropped; remove by id`, () => {
  const doc = new Y.Doc();
  for (let i = 0; i < MAX_REFERENCES; i++) assert.ok(addReference(doc, reference(`r${i}`)));
  assert.not.ok(addReference(doc, reference('extra')));
  assert.is(readReferences(doc).length, MAX_REFERENCES);
  assert.is(readReferences(doc)[0]!.id, 'r0');
  removeReference(doc, 'r3');
  assert.not.ok(readReferences(doc).some((r) => r.id === 'r3'));
  assert.is(readReferences(doc).length, MAX_REFERENCES - 1);
});

test('entries of an unknown schema (a newer version) are skipped, not shown half-read', () => {
  const doc = new Y.Doc();
  referenceList(doc).push([{ id: 'x', fileName: 'x.wav', result: { schema: 'future' } } as unknown as SavedReference]);
  addReference(doc, reference('a'));
  assert.equal(
    readReferences(doc).map((r) => r.id),
    ['a'],
  );
});

test.run();
