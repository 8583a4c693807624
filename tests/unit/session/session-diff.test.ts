/**
 * Checking a layout against a newer session text of the same show (issue 15, part 3): which
 * layout tracks are gone, which session tracks are new, and which were renamed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  diffLayoutAgainstSession,
  MAX_DIFF_TRACKS,
  trackNameSimilarity,
  type DiffLayoutTrack,
} from '../../../src/core/session/session-diff.ts';

/** A layout with the names on strips 1, 2, 3… (null leaves a strip out). */
const layoutOf = (...names: string[]): DiffLayoutTrack[] =>
  names.map((name, i) => ({ id: `t${i + 1}`, name, strip: i + 1 }));

const summary = (layout: DiffLayoutTrack[], session: string[]) => {
  const d = diffLayoutAgainstSession(layout, session);
  return {
    removed: d.removed.map((t) => t.name),
    added: d.added.map((t) => t.name),
    renamed: d.renamed.map((r) => `${r.from}->${r.to}@${r.strip}`),
  };
};

test('the same tracks in the same order: nothing to change', () => {
  assert.equal(summary(layoutOf('Kick', 'Snare', 'Vox'), ['Kick', 'Snare', 'Vox']), {
    removed: [],
    added: [],
    renamed: [],
  });
});

test('renames are found by name similarity and keep their strip', () => {
  assert.equal(summary(layoutOf('Kick In', 'Snare Top', 'Lead Vox'), ['Kick In', 'Snare Top 2', 'Lead Vocal']), {
    removed: [],
    added: [],
    renamed: ['Snare Top->Snare Top 2@2', 'Lead Vox->Lead Vocal@3'],
  });
});

test('a dissimilar name in the same place between the same neighbours is a rename; elsewhere it is not', () => {
  // "Gtr L" became "Guitar Left" (little alike, same place): a rename.
  assert.equal(summary(layoutOf('Kick', 'Gtr L', 'Vox'), ['Kick', 'Guitar Left', 'Vox']).renamed, [
    'Gtr L->Guitar Left@2',
  ]);
  // Nothing alike at all: one removed, one added, never guessed as a rename.
  assert.equal(summary(layoutOf('Kick', 'Tamb', 'Vox'), ['Kick', 'Organ', 'Vox']), {
    removed: ['Tamb'],
    added: ['Organ'],
    renamed: [],
  });
});

test('inserted session tracks are added, in session order, with their session position', () => {
  const d = diffLayoutAgainstSession(layoutOf('Kick', 'Snare', 'Vox'), [
    'Kick',
    'Snare',
    'Tom 1',
    'Tom 2',
    'Vox',
    'Click',
  ]);
  assert.equal(
    d.added.map((a) => [a.name, a.index]),
    [
      ['Tom 1', 2],
      ['Tom 2', 3],
      ['Click', 5],
    ],
  );
  assert.equal(d.removed, []);
  assert.equal(d.renamed, []);
});

test('deleted tracks are listed as removed with their id and strip', () => {
  const d = diffLayoutAgainstSession(layoutOf('Kick', 'Snare', 'Cowbell', 'Vox'), ['Kick', 'Snare', 'Vox']);
  assert.equal(d.removed, [{ id: 't3', name: 'Cowbell', strip: 3 }]);
  assert.equal(d.added, []);
});

test('a reorder in the session changes nothing: the layout decides where tracks sit', () => {
  assert.equal(summary(layoutOf('Kick', 'Snare', 'Vox', 'Bass'), ['Bass', 'Vox', 'Snare', 'Kick']), {
    removed: [],
    added: [],
    renamed: [],
  });
});

test('duplicate names pair up in order; a third copy is new, a missing copy is removed', () => {
  assert.equal(summary(layoutOf('Vox', 'Vox', 'Gtr'), ['Vox', 'Vox', 'Vox', 'Gtr']), {
    removed: [],
    added: ['Vox'],
    renamed: [],
  });
  const d = diffLayoutAgainstSession(layoutOf('Vox', 'Gtr', 'Vox'), ['Gtr', 'Vox']);
  assert.equal(d.removed, [{ id: 't3', name: 'Vox', strip: 3 }]);
});

test('ties between equally alike names go to the closest position', () => {
  // Two layout "Tom" tracks renamed to "Tom 1"/"Tom 2": each keeps its place.
  assert.equal(summary(layoutOf('Kick', 'Tom', 'Snare', 'Tom'), ['Kick', 'Tom A', 'Snare', 'Tom B']).renamed, [
    'Tom->Tom A@2',
    'Tom->Tom B@4',
  ]);
});

test('palette tracks take part (strip null) and keep it when renamed', () => {
  const layout: DiffLayoutTrack[] = [...layoutOf('Kick'), { id: 'p', name: 'FX Return', strip: null }];
  assert.equal(summary(layout, ['Kick', 'FX Returns']).renamed, ['FX Return->FX Returns@null']);
});

test('an empty side: everything is added, or everything is removed', () => {
  assert.equal(summary([], ['Kick', 'Snare']), { removed: [], added: ['Kick', 'Snare'], renamed: [] });
  assert.equal(summary(layoutOf('Kick', 'Snare'), []), { removed: ['Kick', 'Snare'], added: [], renamed: [] });
  assert.equal(summary([], []), { removed: [], added: [], renamed: [] });
});

test('similarity ignores case, spacing and punctuation', () => {
  assert.is(trackNameSimilarity('Lead_Vox', 'lead vox'), 1);
  assert.ok(trackNameSimilarity('Snare Top', 'Snare Top 2') >= 0.5);
  assert.ok(trackNameSimilarity('Kick', 'Organ') < 0.2);
});

test('bounded: more than the cap is refused with a message; the cap itself is cheap', () => {
  const many = Array.from({ length: MAX_DIFF_TRACKS + 1 }, (_, i) => `Audio ${i + 1}`);
  assert.throws(() => diffLayoutAgainstSession([], many), /session has 2049 tracks; a check compares at most 2048/);
  assert.throws(() => diffLayoutAgainstSession(layoutOf(...many), []), /layout has 2049 tracks/);
  // Worst case at the cap: every name unmatched and every pair alike ("Audio n" against "Audio n'").
  const layout = layoutOf(...many.slice(0, MAX_DIFF_TRACKS));
  const session = many.slice(0, MAX_DIFF_TRACKS).map((n) => `${n}'`);
  const started = performance.now();
  const d = diffLayoutAgainstSession(layout, session);
  const took = performance.now() - started;
  assert.is(d.renamed.length + d.removed.length, MAX_DIFF_TRACKS);
  assert.is(d.renamed.length + d.added.length, MAX_DIFF_TRACKS);
  assert.is(d.renamed.length, MAX_DIFF_TRACKS);
  assert.ok(took < 20_000, `took ${took} ms`);
});

test.run();
