/** The kept latest analysis and the report document: what is stored comes back whole, and bad data is dropped, not half-shown. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { findTarget } from '../../../src/core/diagnostics/delivery-targets.ts';
import { diagnose } from '../../../src/core/diagnostics/diagnose.ts';
import { makeLastAnalysisStore, type KeyValueStorage } from '../../../src/features/analysis/last-analysis.ts';
import { readReport, reportUpdate, setReportTarget } from '../../../src/features/analysis/report-doc.ts';
import { inPhase, sine } from '../../support/signals.ts';
import { measure } from '../dsp/measure.ts';

const result = measure(inPhase(sine(48000, 2, 1000, 0.1)), 48000);
const stream = {
  format: 'wav',
  encoding: 'PCM 24-bit',
  sampleRate: 48000,
  channels: 2,
  decodedBy: 'streaming decoder' as const,
};

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => {
      data.set(k, v);
    },
    removeItem: (k) => {
      data.delete(k);
    },
  };
}

test('the kept analysis round-trips and is replaced by the next one', () => {
  const storage = memoryStorage();
  const store = makeLastAnalysisStore(storage);
  assert.is(store.load(), null);
  const kept = {
    name: 'a.wav',
    stream,
    result,
    analysedAt: 1,
    targetId: 'apple',
    elapsedMs: 5,
    engine: 'WASM' as const,
    threads: 1 as const,
  };
  store.save(kept);
  assert.equal(store.load(), JSON.parse(JSON.stringify(kept)));
  store.save({ ...kept, name: 'b.wav' });
  assert.is(store.load()!.name, 'b.wav');
  assert.ok(![...storage.data.values()].some((v) => v.includes('RIFF')), 'no audio kept');
});

test('a kept value that does not parse, or has another schema, is dropped', () => {
  const storage = memoryStorage();
  const store = makeLastAnalysisStore(storage);
  storage.setItem('mixdesk.analysis.latest', '{not json');
  assert.is(store.load(), null);
  storage.setItem('mixdesk.analysis.latest', JSON.stringify({ name: 'x', result: { schema: 'other/9' } }));
  assert.is(store.load(), null);
  // A storage that throws (quota, private mode) costs only the convenience.
  const throwing = makeLastAnalysisStore({
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('quota');
    },
    removeItem: () => {},
  });
  throwing.save({
    name: 'a',
    stream,
    result,
    analysedAt: 1,
    targetId: 'spotify',
    elapsedMs: 1,
    engine: 'WASM',
    threads: 1,
  });
  assert.is(throwing.load(), null);
});

test('a report stores its target and diagnosis; changing the target updates both', () => {
  const target = findTarget('ebu-r128')!;
  const diagnosis = diagnose(result, target);
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    reportUpdate({ fileName: 'a.wav', stream, result, analysedAt: 1, targetId: target.id, diagnosis }),
  );
  const read = readReport(doc)!;
  assert.is(read.targetId, 'ebu-r128');
  assert.equal(read.diagnosis, JSON.parse(JSON.stringify(diagnosis)));
  const apple = findTarget('apple')!;
  setReportTarget(doc, apple.id, diagnose(result, apple));
  assert.is(readReport(doc)!.targetId, 'apple');
  assert.is(readReport(doc)!.diagnosis!.targetName, 'Apple Music');
});

test('an old report without a target still reads (the page shows the default target)', () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, reportUpdate({ fileName: 'old.wav', stream, result, analysedAt: 1 }));
  const read = readReport(doc)!;
  assert.is(read.targetId, undefined);
  assert.is(read.diagnosis, undefined);
});

test.run();
