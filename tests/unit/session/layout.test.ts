import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  layoutFromSession,
  layoutsFromSession,
  type Session,
  type SessionTrack,
} from '../../../src/core/session/index.ts';
import { stripChoices, SURFACES } from '../../../src/core/console/surfaces.ts';
import { fixtureBytes, mustParse } from './support.ts';

function withTracks(count: number): Pick<Session, 'header' | 'tracks'> {
  const { session } = mustParse(fixtureBytes('Test_Export_tc.txt'));
  const template = session.tracks[0] as SessionTrack;
  const tracks = Array.from({ length: count }, (_, i) => ({ ...template, name: `Track ${i + 1}`, line: 100 + i }));
  return { header: session.header, tracks };
}

test('tracks go to strips 1, 2, 3… in session order, inactive tracks included', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  const layout = layoutFromSession(session);
  assert.is(layout.name, 'SessionText_OneOfEverything');
  assert.equal(layout.strips.slice(0, 6), [
    { slot: 1, track: 'Audio 1' },
    { slot: 2, track: 'Audio 2' },
    { slot: 3, track: 'Audio 3 (Stereo)' },
    { slot: 4, track: 'Audio 4 (Stereo)' },
    { slot: 5, track: 'Audio 5 (Stereo)' },
    { slot: 6, track: null },
  ]);
  assert.equal(layout.warnings, []);
});

test('with no room to size for, the layout has the tracks in whole 8-strip modules, not 256 strips', () => {
  assert.is(layoutFromSession(withTracks(24)).strips.length, 24);
  assert.is(layoutFromSession(withTracks(25)).strips.length, 32);
  assert.is(layoutFromSession(withTracks(3)).strips.length, 8);
  const { session } = mustParse(fixtureBytes('MarkerRulersAndTrackMarkers_PT2023.12.txt'));
  const empty = layoutFromSession(session);
  assert.equal(
    empty.strips.map((s) => s.slot),
    [1, 2, 3, 4, 5, 6, 7, 8],
  );
  assert.ok(empty.strips.every((s) => s.track === null));
});

test('exactly 256 tracks fill every strip without a warning', () => {
  const layout = layoutFromSession(withTracks(256));
  assert.is(layout.strips[255]?.track, 'Track 256');
  assert.equal(layout.warnings, []);
});

test('tracks beyond strip 256 are left out with a warning naming the first one', () => {
  const layout = layoutFromSession(withTracks(300));
  assert.is(layout.strips.length, 256);
  assert.is(layout.strips[255]?.track, 'Track 256');
  assert.equal(layout.warnings, ["44 tracks beyond strip 256 left out, starting with 'Track 257' (line 356)"]);
  assert.equal(layoutFromSession(withTracks(257)).warnings, [
    "1 track beyond strip 256 left out, starting with 'Track 257' (line 356)",
  ]);
});

const flags = (t: SessionTrack, hidden: boolean, inactive: boolean): SessionTrack => ({
  ...t,
  state: { ...t.state, hidden, inactive },
});

test('hidden and inactive tracks are skipped or kept by choice, the rest keep session order', () => {
  const base = withTracks(6);
  const tracks = base.tracks.map((t, i) => flags(t, i === 1 || i === 4, i === 2 || i === 4));
  const session = { header: base.header, tracks };
  const names = (o: { includeHidden: boolean; includeInactive: boolean }) =>
    layoutsFromSession(session, { strips: 8, split: false, ...o })[0]!
      .strips.map((s) => s.track)
      .filter(Boolean);
  assert.equal(
    names({ includeHidden: true, includeInactive: true }),
    tracks.map((t) => t.name),
  );
  assert.equal(names({ includeHidden: false, includeInactive: true }), ['Track 1', 'Track 3', 'Track 4', 'Track 6']);
  assert.equal(names({ includeHidden: true, includeInactive: false }), ['Track 1', 'Track 2', 'Track 4', 'Track 6']);
  assert.equal(names({ includeHidden: false, includeInactive: false }), ['Track 1', 'Track 4', 'Track 6']);
});

test('a layout is sized to every surface a room profile can name', () => {
  const session = withTracks(10);
  for (const surface of SURFACES) {
    for (const strips of stripChoices(surface)) {
      const [layout] = layoutsFromSession(session, {
        strips,
        includeHidden: true,
        includeInactive: true,
        split: false,
      });
      assert.is(layout!.strips.length, strips, `${surface} ${strips}`);
      assert.is(layout!.strips.filter((s) => s.track).length, Math.min(10, strips), `${surface} ${strips}`);
    }
  }
  assert.equal(stripChoices('S1'), [8, 16]);
  assert.equal(stripChoices('S3'), [16]);
  assert.equal(stripChoices('S6').slice(0, 3), [8, 16, 24]);
  assert.is(stripChoices('S4').at(-1), 256);
});

test('more tracks than strips: split into layouts of the room size in one go, or the rest left out', () => {
  const session = withTracks(40);
  const split = layoutsFromSession(session, { strips: 16, includeHidden: true, includeInactive: true, split: true });
  assert.equal(
    split.map((l) => [l.name, l.strips.length, l.strips[0]?.track, l.strips.filter((s) => s.track).length]),
    [
      ['Test Export 1-16', 16, 'Track 1', 16],
      ['Test Export 17-32', 16, 'Track 17', 16],
      ['Test Export 33-40', 16, 'Track 33', 8],
    ],
  );
  const cut = layoutsFromSession(session, { strips: 16, includeHidden: true, includeInactive: true, split: false });
  assert.is(cut.length, 1);
  assert.equal(cut[0]!.warnings, ["24 tracks beyond strip 16 left out, starting with 'Track 17' (line 116)"]);
});

test('the layout is plain data that survives JSON', () => {
  const layout = layoutFromSession(withTracks(3));
  assert.equal(JSON.parse(JSON.stringify(layout)), layout);
});

test.run();
