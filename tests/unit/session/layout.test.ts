import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layoutFromSession, MAX_STRIPS, type Session, type SessionTrack } from '../../../src/core/session/index.ts';
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

test('the layout always has slots 1..256, blank where there is no track', () => {
  const { session } = mustParse(fixtureBytes('MarkerRulersAndTrackMarkers_PT2023.12.txt'));
  const layout = layoutFromSession(session);
  assert.is(layout.strips.length, MAX_STRIPS);
  assert.equal(
    layout.strips.map((s) => s.slot),
    Array.from({ length: 256 }, (_, i) => i + 1),
  );
  assert.ok(layout.strips.every((s) => s.track === null));
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

test('the layout is plain data that survives JSON', () => {
  const layout = layoutFromSession(withTracks(3));
  assert.equal(JSON.parse(JSON.stringify(layout)), layout);
});

test.run();
