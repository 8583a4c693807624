import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { ascii, mustParse } from './support.ts';

const HEAD =
  'SESSION NAME:\tSynthetic\nSAMPLE RATE:\t96000.000000\nBIT DEPTH:\t32-bit float\nSESSION START TIMECODE:\t00:00:00:00\n' +
  'TIMECODE FORMAT:\t29.97 Drop Frame\n# OF AUDIO TRACKS:\t2\n# OF AUDIO CLIPS:\t0\n# OF AUDIO FILES:\t0\n\n\nT R A C K  L I S T I N G\n';
const EVENTS =
  'CHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \tEND TIME      \tDURATION      \tSTATE\n';

function track(name: string, comments: string, state: string, plugins: string, delay = '0 Samples'): string {
  return `TRACK NAME:\t${name}\nCOMMENTS:\t${comments}\nUSER DELAY:\t${delay}\nSTATE: ${state}\nPLUG-INS: ${plugins}\n${EVENTS}\n\n`;
}

test('track comments with TAB and LF run until the USER DELAY line', () => {
  const text =
    HEAD +
    track('Vox', 'Line one\twith tab\nLine two\n\nLine four', 'Hidden Muted ', '\tPro-Q 3 (stereo)\t') +
    track('Bass', '', 'Solo SoloSafe ', '');
  const { session, result } = mustParse(ascii(text));
  assert.equal(result.warnings, []);
  assert.is(session.tracks.length, 2);
  assert.is(session.tracks[0]?.comments, 'Line one\twith tab\nLine two\n\nLine four');
  assert.equal(session.tracks[0]?.plugins, ['Pro-Q 3 (stereo)']);
  assert.is(session.tracks[1]?.line, 23);
});

test('STATE words become flags and unknown words are kept', () => {
  const text = HEAD + track('Vox', '', 'Inactive Hidden Muted Solo SoloSafe Frozen ', '') + track('Bass', '', '', '');
  const { session } = mustParse(ascii(text));
  assert.equal(session.tracks[0]?.state, {
    inactive: true,
    hidden: true,
    muted: true,
    solo: true,
    soloSafe: true,
    words: ['Inactive', 'Hidden', 'Muted', 'Solo', 'SoloSafe', 'Frozen'],
  });
  assert.equal(session.tracks[1]?.state, {
    inactive: false,
    hidden: false,
    muted: false,
    solo: false,
    soloSafe: false,
    words: [],
  });
});

test('user delay in samples is read as a number, other forms stay text', () => {
  const text = HEAD + track('A', '', '', '', '-12 Samples') + track('B', '', '', '', '1.5 ms');
  const { session } = mustParse(ascii(text));
  assert.equal(
    session.tracks.map((t) => [t.userDelay, t.userDelaySamples]),
    [
      ['-12 Samples', -12],
      ['1.5 ms', null],
    ],
  );
});

test('a track name continued on a new line and a clip name with a TAB are kept whole', () => {
  const row =
    '1       \t1       \tTake\t2                        \t01:00:00:00   \t01:00:01:00   \t00:00:01:00   \tUnmuted\n';
  const text =
    HEAD +
    'TRACK NAME:\tLead\nVocal\nCOMMENTS:\t\nUSER DELAY:\t0 Samples\nSTATE: \nPLUG-INS: \n' +
    EVENTS +
    row +
    '\n\n';
  const { session } = mustParse(ascii(text));
  assert.is(session.tracks[0]?.name, 'Lead\nVocal');
  assert.is(session.tracks[0]?.events[0]?.clipName, 'Take\t2');
  assert.is(session.tracks[0]?.events[0]?.state, 'Unmuted');
});

test('a track without a COMMENTS line is noted as info at the track, and the rest still parses', () => {
  const text =
    HEAD + 'TRACK NAME:\tA\nUSER DELAY:\t0 Samples\nSTATE: \nPLUG-INS: \n' + EVENTS + '\n\n' + track('B', 'ok', '', '');
  const result = parseSessionText(ascii(text), 'missing.txt');
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.equal(
    result.session.tracks.map((t) => t.name),
    ['A', 'B'],
  );
  assert.equal(result.warnings, []);
  assert.equal(
    result.info.map((w) => [w.line, w.message]),
    [[12, "1 of 2 tracks have no 'COMMENTS:' line (older Pro Tools versions leave it out)"]],
  );
});

test('2023.12 marker names with a TAB still find their TRACK NAME and TRACK TYPE', () => {
  const head =
    HEAD.replace('T R A C K  L I S T I N G\n', '') +
    'M A R K E R S  L I S T I N G\n' +
    '#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tTRACK NAME                       \tTRACK TYPE   \tCOMMENTS\n';
  const pad = (s: string): string => s + ' '.repeat(Math.max(0, 33 - [...s].length));
  const rows = [
    `1   \t01:00:00:00  \t480000            \tSamples  \t${pad('Verse\tone')}\t${pad('Markers')}\t${pad('Ruler')}\tfirst\tnote\n`,
    `2   \t01:00:01:00  \t528000            \tSamples  \t${pad('A long marker name over thirty-three\tchars')}\t${pad('Vox')}\t${pad('Track')}\t\n`,
    `3   \t01:00:02:00  \t576000            \tSamples  \t${pad('Multi\nline')}\t${pad('Markers')}\t${pad('Ruler')}\tc1\n` +
      '    \t             \t                  \t           \t                                 \t                                 \t             \tc2\n',
  ];
  const { session, result } = mustParse(ascii(head + rows.join('')));
  assert.equal(result.warnings, []);
  assert.equal(
    session.markers.map((m) => [m.name, m.trackName, m.trackType, m.comments]),
    [
      ['Verse\tone', 'Markers', 'Ruler', 'first\tnote'],
      ['A long marker name over thirty-three\tchars', 'Vox', 'Track', ''],
      ['Multi\nline', 'Markers', 'Ruler', 'c1\nc2'],
    ],
  );
  assert.equal(session.markerRulers, ['Markers']);
});

test('a marker name continued on a line that starts with a number is not taken for a new marker', () => {
  const head =
    HEAD.replace('T R A C K  L I S T I N G\n', '') +
    'M A R K E R S  L I S T I N G\n' +
    '#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tCOMMENTS\n';
  const rows =
    '1   \t01:00:00:00  \t480000            \tSamples  \tScene\n12                          \tnote\n' +
    '2   \t01:00:01:00  \t528000            \tSamples  \tNext                             \t\n';
  const { session, result } = mustParse(ascii(head + rows));
  assert.equal(result.warnings, []);
  assert.equal(
    session.markers.map((m) => [m.number, m.name, m.comments]),
    [
      [1, 'Scene\n12', 'note'],
      [2, 'Next', ''],
    ],
  );
});

test.run();
