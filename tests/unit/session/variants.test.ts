/**
 * One fixture per layout variant the importer supports, each written by Mixdesk from the
 * format's rules (see SOURCES.md): older Pro Tools exports (REGIONS, "TIME CODE FORMAT", no
 * start timecode, CR and CRLF), space-aligned columns, and every time format.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Session } from '../../../src/core/session/index.ts';
import { fixtureBytes, mustParse } from './support.ts';

const events = (s: Session): string[][] =>
  s.tracks.flatMap((t) => t.events.map((e) => [t.name, e.clipName, e.startTime, e.endTime, e.duration, e.state]));

test('Pro Tools 7 layout: CR breaks, Mac OS Roman, REGIONS, TIME CODE FORMAT, feet+frames', () => {
  const { session, result } = mustParse(fixtureBytes('Written_PT7_Regions_CR_FeetFrames_MacRoman.txt'));
  assert.equal(result.warnings, []);
  assert.equal([session.lineEnding, session.encoding, session.timeFormat], ['CR', 'mac-os-roman', 'feet+frames']);
  assert.is(session.header.sessionName, 'Café Reel 3');
  assert.is(session.header.timecodeFormat, '24 Frame');
  assert.is(session.header.startTimecode, null);
  assert.is(session.header.audioClipCount, 4);
  assert.equal(session.sections, ['ONLINE FILES IN SESSION', 'ONLINE REGIONS IN SESSION', 'TRACK LISTING']);
  assert.equal(
    session.clips.map((c) => [c.name, c.sourceFile]),
    [
      ['Dialog 1_01', 'Dialog 1_01.wav'],
      ['Dialog 1_01-01', 'Dialog 1_01.wav'],
      ['Dialog 2_01', 'Dialog 2_01.wav'],
      ['Música_01', 'Música_01.wav'],
    ],
  );
  assert.equal(events(session), [
    ['Dialog 1', 'Dialog 1_01', '5400+00', '5407+08', '7+08', ''],
    ['Dialog 1', 'Dialog 1_01-01', '5410+12', '5415+00', '4+04', ''],
    ['Dialog 2', 'Dialog 2_01', '5401+04', '5403+00', '1+12', ''],
    ['Música', 'Música_01', '5400+00', '5420+00', '20+00', ''],
  ]);
  assert.is(session.tracks[2]?.userDelaySamples, -12);
  // What this version does not write is info, each at the line where it would be.
  assert.equal(
    result.info.map((i) => [i.line, i.message.replace(/ \(older.*/, '')]),
    [
      [8, "the header has no 'SESSION START TIMECODE:' line"],
      [26, "no track has a 'COMMENTS:' line"],
      [26, "no track has a 'STATE:' line"],
      [26, "no track has a 'PLUG-INS:' line"],
    ],
  );
});

test('Pro Tools 8 layout: CRLF, REGIONS with plug-ins and track state, min:secs', () => {
  const { session, result } = mustParse(fixtureBytes('Written_PT8_Regions_CRLF_MinSecs.txt'));
  assert.equal(result.warnings, []);
  assert.equal([session.lineEnding, session.timeFormat], ['CRLF', 'min:secs']);
  assert.is(session.header.timecodeFormat, '30 Frame');
  assert.equal(
    result.info.map((i) => i.line),
    [8],
  );
  assert.equal(events(session), [
    ['Host', 'Host_01', '0:00.000', '1:30.500', '1:30.500', 'Unmuted'],
    ['Host', 'Host_02', '1:35.000', '12:04.250', '10:29.250', 'Unmuted'],
    ['Guest', 'Guest_01', '0:02.000', '0:45.125', '43.125', 'Muted'],
  ]);
  assert.equal(session.tracks[1]?.state.words, ['Inactive', 'Hidden']);
  assert.equal(session.plugins[0]?.manufacturer, 'Digidesign');
  assert.equal(session.tracks[0]?.plugins, ['DigiRack EQ 3 (mono)']);
});

test('space-aligned columns with no TABs anywhere read like the TAB layout; samples', () => {
  const { session, result } = mustParse(fixtureBytes('Written_SpaceAligned_Samples.txt'));
  assert.equal(result.warnings, []);
  assert.equal(result.info, []);
  assert.is(session.header.sessionName, 'Spot FX');
  assert.is(session.header.bitDepth, '32-bit float');
  assert.is(session.timeFormat, 'samples');
  assert.equal(
    session.files.map((f) => [f.name, f.location]),
    [
      ['Door Slam.wav', 'FX HD:Spot FX:Audio Files:'],
      ['Rain Loop.wav', 'FX HD:Spot FX:Audio Files:'],
    ],
  );
  assert.equal(events(session), [
    ['Door', 'Door Slam', '480000', '576000', '96000', 'Unmuted'],
    ['Rain Bed', 'Rain Loop', '0', '2880000', '2880000', 'Unmuted'],
  ]);
  assert.equal(session.tracks[0]?.comments, 'Foley pass');
  assert.equal(
    session.markers.map((m) => [m.number, m.location, m.name, m.comments]),
    [
      [1, '480000', 'Door', 'first hit'],
      [2, '2880000', 'Rain out', ''],
    ],
  );
});

test('drop-frame timecode with sub-frames, UTF-8 names', () => {
  const { session, result } = mustParse(fixtureBytes('Written_PT10_DropFrame_Subframes_UTF8.txt'));
  assert.equal(result.warnings, []);
  assert.equal(result.info, []);
  assert.equal([session.encoding, session.timeFormat], ['utf-8', 'timecode']);
  assert.is(session.header.sessionName, 'Guitarra Acústica – Mix 2');
  assert.is(session.header.startTimecode, '00:59:59;28.00');
  assert.equal(events(session)[0], [
    'Gtr DI',
    'Gtr DI_01',
    '01:00:00;02.45',
    '01:00:10;00.00',
    '00:00:09;28.55',
    'Unmuted',
  ]);
  assert.is(session.tracks[0]?.comments, 'Überlänge');
  assert.equal(
    session.markers.map((m) => [m.location, m.name, m.comments]),
    [['01:00:00;02.45', 'Einsatz', 'ü']],
  );
});

test('bars|beats with ticks, online and offline clips', () => {
  const { session, result } = mustParse(fixtureBytes('Written_PT2018_BarsBeats_Ticks.txt'));
  assert.equal(result.warnings, []);
  assert.is(session.timeFormat, 'bars|beats');
  assert.equal(
    session.clips.map((c) => [c.name, c.online]),
    [
      ['Kick Loop', true],
      ['Snare Loop', false],
    ],
  );
  assert.equal(events(session)[1], ['Drums', 'Snare Loop', '5| 1| 000', '9| 3| 480', '4| 2| 480', 'Muted']);
});

test('the same export parses alike with LF, CRLF and CR breaks', () => {
  const text = new TextDecoder().decode(fixtureBytes('Written_PT10_DropFrame_Subframes_UTF8.txt'));
  const parsed = ['\n', '\r\n', '\r'].map(
    (br) => mustParse(new TextEncoder().encode(text.replaceAll('\n', br))).session,
  );
  assert.equal(
    parsed.map((s) => s.lineEnding),
    ['LF', 'CRLF', 'CR'],
  );
  const strip = (s: Session) => ({ ...s, lineEnding: '' });
  assert.equal(strip(parsed[1]!), strip(parsed[0]!));
  assert.equal(strip(parsed[2]!), strip(parsed[0]!));
});

test.run();
