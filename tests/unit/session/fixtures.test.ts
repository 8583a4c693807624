import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureBytes, FIXTURES, mustParse } from './support.ts';

test('every real export parses without warnings', () => {
  for (const name of FIXTURES) {
    const { result } = mustParse(fixtureBytes(name), name);
    assert.equal(result.warnings, [], name);
  }
});

test('OneOfEverything: header fields are read as written', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.equal(session.header, {
    sessionName: 'SessionText_OneOfEverything',
    sampleRate: 48000,
    bitDepth: '24-bit',
    startTimecode: '00:59:55:00',
    timecodeFormat: '23.976 Frame',
    audioTrackCount: 5,
    audioClipCount: 11,
    audioFileCount: 7,
    otherFields: [],
  });
  assert.is(session.lineEnding, 'LF');
  assert.equal(session.sections, [
    'ONLINE FILES IN SESSION',
    'OFFLINE FILES IN SESSION',
    'ONLINE CLIPS IN SESSION',
    'OFFLINE CLIPS IN SESSION',
    'PLUG-INS LISTING',
    'TRACK LISTING',
    'MARKERS LISTING',
  ]);
});

test('OneOfEverything: online and offline files and clips keep their locations and channels', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.is(session.files.filter((f) => f.online).length, 6);
  assert.equal(
    session.files.filter((f) => !f.online),
    [
      {
        name: 'Audio 5 Offline Clip1.wav',
        location: 'Macintosh HD:Users:user:Documents:SessionText_OneOfEverything:Audio Files:',
        online: false,
      },
    ],
  );
  assert.is(session.files[0]?.name, 'Unused Clip.wav');
  assert.is(session.clips.length, 11);
  assert.equal(session.clips[2], {
    name: 'Audio 3 Clip1.L',
    sourceFile: 'Audio 3 Clip1.wav',
    channel: '[1]',
    online: true,
  });
  assert.equal(session.clips[0], {
    name: 'Audio 1 Clip1',
    sourceFile: 'Audio 1 Clip1.wav',
    channel: null,
    online: true,
  });
  assert.equal(
    session.clips.filter((c) => !c.online).map((c) => c.name),
    ['Audio 5 Offline Clip1.L', 'Audio 5 Offline Clip1.R'],
  );
});

test('OneOfEverything: plug-ins listing rows inherit the manufacturer written once', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.equal(
    session.plugins.map((p) => `${p.manufacturer}/${p.name}/${p.instances}`),
    ['Avid/EQ3 1-Band/2 active', 'Avid/EQ3 7-Band/1 active', 'Avid/Trim/1 active'],
  );
  assert.equal(session.plugins[0], {
    manufacturer: 'Avid',
    name: 'EQ3 1-Band',
    version: '20.3.0d163',
    format: 'AAX Native',
    stems: 'Mono / Mono',
    instances: '2 active',
  });
});

test('OneOfEverything: tracks carry comments, delay, state, plug-ins and per-channel events', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.equal(
    session.tracks.map((t) => t.name),
    ['Audio 1', 'Audio 2', 'Audio 3 (Stereo)', 'Audio 4 (Stereo)', 'Audio 5 (Stereo)'],
  );
  const [a1, a2, a3, a4, a5] = session.tracks;
  assert.is(a1?.comments, 'Comments here.');
  assert.is(a1?.userDelay, '0 Samples');
  assert.is(a1?.userDelaySamples, 0);
  assert.equal(a1?.plugins, ['EQ3 1-Band (mono)']);
  assert.equal(a2?.plugins, ['EQ3 7-Band (mono)', 'Trim (mono)']);
  assert.equal(a3?.plugins, []);
  assert.is(a5?.state.inactive, true);
  assert.equal(a5?.state.words, ['Inactive']);
  assert.is(a1?.state.inactive, false);
  assert.is(a3?.events.length, 4);
  assert.equal(a3?.events[1], {
    channel: 1,
    event: 2,
    clipName: 'Audio 3 Clip2.L',
    startTime: '01:00:18:17',
    endTime: '01:00:21:19',
    duration: '00:00:03:02',
    state: 'Muted',
    line: 78,
  });
  assert.equal(
    a3?.events.map((e) => e.channel),
    [1, 1, 2, 2],
  );
  assert.equal(
    a4?.events.map((e) => e.clipName),
    ['(fade in)', 'Audio 4 Clip1.L', '(fade out)', '(fade in)', 'Audio 4 Clip1.R', '(fade out)'],
  );
  assert.is(a1?.line, 53);
});

test('OneOfEverything: markers in samples and in ticks', () => {
  const { session } = mustParse(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  assert.equal(session.markers, [
    {
      number: 1,
      location: '00:59:58:00',
      timeReference: '144144',
      units: 'Samples',
      name: 'Marker 1',
      trackName: null,
      trackType: null,
      comments: '',
      line: 115,
    },
    {
      number: 2,
      location: '01:00:00:00',
      timeReference: '3|3',
      units: 'Ticks',
      name: 'Marker 2',
      trackName: null,
      trackType: null,
      comments: 'This marker has comments.',
      line: 116,
    },
  ]);
});

test('Test_Export_tc (older export): single FILES section, sub-frame timecode, track without events', () => {
  const { session } = mustParse(fixtureBytes('Test_Export_tc.txt'));
  assert.is(session.header.startTimecode, '01:00:00:00.00');
  assert.is(session.header.timecodeFormat, '30 Frame');
  assert.equal(session.sections, ['FILES IN SESSION', 'PLUG-INS LISTING', 'TRACK LISTING', 'MARKERS LISTING']);
  assert.equal(session.files, []);
  assert.equal(
    session.tracks.map((t) => `${t.name}:${t.events.length}`),
    ['Audio 1:1', 'Audio 2:1', 'Audio 3:0', 'Audio 4:3'],
  );
  assert.equal(session.tracks[3]?.events[2]?.duration, '00:00:04:28.48');
  assert.equal(session.markers, []);
});

test('PT 2023.12: TRACK NAME and TRACK TYPE marker columns and the marker rulers', () => {
  const { session } = mustParse(fixtureBytes('MarkerRulersAndTrackMarkers_PT2023.12.txt'));
  assert.equal(session.sections, ['MARKERS LISTING']);
  assert.is(session.markers.length, 7);
  assert.equal(
    session.markers.map((m) => [m.name, m.trackName, m.trackType, m.comments]),
    [
      ['Marker 1', 'Markers', 'Ruler', ''],
      ['Marker 2', 'Markers 2', 'Ruler', 'Some comments'],
      ['Marker 3', 'Markers 3', 'Ruler', ''],
      ['Marker 4', 'Markers 4', 'Ruler', ''],
      ['Marker 5', 'Markers 5', 'Ruler', ''],
      ['Marker 6', 'Audio 1', 'Track', 'More comments'],
      ['Marker 7', 'Audio 2', 'Track', ''],
    ],
  );
  assert.equal(session.markerRulers, ['Markers', 'Markers 2', 'Markers 3', 'Markers 4', 'Markers 5']);
  assert.is(session.markers[6]?.timeReference, '768000');
});

test('TAB and LF written unescaped inside marker names and comments are rebuilt', () => {
  const { session } = mustParse(fixtureBytes('NewLinesAndTabs_PT2023.6.txt'));
  assert.equal(
    session.markers.map((m) => [m.number, m.name, m.comments]),
    [
      [1, 'Marker Name\nWith New Line', ''],
      [2, 'Normal Marker Name', 'Comment Here\nWith New Line'],
      [3, 'Marker Name Again\nWith New Line Again', 'Comment Here Again\nWith New Line Again'],
      [4, 'Normal Marker Name Again', ''],
      [5, 'Marker Name\tWith Tab', ''],
      [6, 'Normal Marker Name', 'Comments Here\tWith Tab'],
      [7, 'Marker Name\tWith Tab', 'Comments Here\tWith Tab'],
      [8, 'Marker Name\tWith Tab\tAnd Another Tab', ''],
      [9, 'Normal Marker Name', 'Comment Here\tWith Tab\tAnd Another Tab'],
      [10, 'Marker Name\tWith Tab\tAnd Another Tab', 'Comment Here\tWith Tab\tAnd Another Tab'],
      [11, 'Marker Name\tWith Tab\nAnd Newline', ''],
      [12, 'Normal Marker Name', 'Comment Here\tWith Tab\nAnd Newline'],
    ],
  );
  assert.equal(
    session.markers.map((m) => m.line),
    [26, 28, 30, 33, 34, 35, 36, 37, 38, 39, 40, 42],
  );
  assert.equal(session.markers.map((m) => m.location).slice(-1), ['01:00:11:00']);
});

test.run();
