/** The input list printed with a strip sheet: every session track in order, comments and state. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputList, parseSessionText } from '../../../src/core/session/index.ts';
import { generateSessionText, randomSessionOptions } from '../../support/session-text-corpus.ts';
import { seededRandom } from '../../support/signals.ts';

test('every track in session order, hidden and inactive ones kept and marked, comments trimmed', () => {
  const { bytes, expected } = generateSessionText(seededRandom(5), {
    ...randomSessionOptions(seededRandom(5)),
    tracks: 30,
    clipsPerTrack: 1,
    markers: 0,
    version: 'modern',
  });
  const parsed = parseSessionText(bytes, 'show.txt');
  if (!parsed.ok) throw new Error(parsed.error.message);
  const rows = inputList(parsed.session);
  assert.equal(
    rows.map((r) => [r.number, r.name]),
    expected.tracks.map((t, i) => [i + 1, t.name]),
  );
  expected.tracks.forEach((t, i) => {
    assert.is(rows[i]!.state.includes('Hidden'), t.hidden, `track ${i + 1} hidden`);
    assert.is(rows[i]!.state.includes('Inactive'), t.inactive, `track ${i + 1} inactive`);
  });
  assert.ok(
    rows.some((r) => r.comments === 'from the dub stage'),
    'comments carried over',
  );
});

test.run();
