import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  MAX_SESSION_TEXT_LINES,
  MAX_SESSION_WARNINGS,
  parseSessionText,
  type SessionParseResult,
} from '../../../src/core/session/index.ts';
import { ascii, fixtureBytes } from './support.ts';

function error(result: SessionParseResult): { line: number; column: number; message: string; file: string } {
  if (result.ok) throw new Error('expected an error, got a session');
  return result.error;
}

test('an empty file is refused on line 1', () => {
  const e = error(parseSessionText(new Uint8Array(0), 'empty.txt'));
  assert.equal([e.file, e.line, e.column], ['empty.txt', 1, 1]);
  assert.match(e.message, /empty/);
});

test('a binary file is refused with the line of the first binary byte', () => {
  const e = error(parseSessionText(new Uint8Array([0x53, 0x45, 0x0a, 0x41, 0x42, 0x00, 0x01]), 'x.bin'));
  assert.equal([e.line, e.column], [2, 3]);
  assert.match(e.message, /binary/);
});

test('a file of another format is refused on line 1', () => {
  const e = error(parseSessionText(ascii('<?xml version="1.0"?>\n<AppSet/>\n'), 'Pro Tools.xml'));
  assert.equal([e.line, e.column], [1, 1]);
  assert.match(e.message, /expected line 1 to start with 'SESSION NAME:', found "<\?xml version/);
});

test('a header with only some fields is read; each missing field is info, not an error', () => {
  const result = parseSessionText(
    ascii('SESSION NAME:\tA\nSAMPLE RATE:\t48000.000000\nBIT DEPTH:\t24-bit\n'),
    'short.txt',
  );
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.equal(result.warnings, []);
  assert.is(result.session.header.startTimecode, null);
  assert.is(result.session.header.audioClipCount, null);
  assert.equal(
    result.info.map((i) => i.message.replace(/ line .*/, '')),
    [
      "the header has no 'SESSION START TIMECODE:'",
      "the header has no 'TIMECODE FORMAT:' or 'TIME CODE FORMAT:'",
      "the header has no '# OF AUDIO TRACKS:'",
      "the header has no '# OF AUDIO CLIPS:' or '# OF AUDIO REGIONS:'",
      "the header has no '# OF AUDIO FILES:'",
    ],
  );
});

test('a file cut in the middle of a line is read with a warning at its last line', () => {
  const bytes = fixtureBytes('OneOfEverything_PT2020.3.txt');
  const cut = bytes.subarray(0, bytes.indexOf(0x0a, 3000) - 5);
  const result = parseSessionText(cut, 'cut.txt');
  assert.ok(result.ok);
  const last = result.warnings[result.warnings.length - 1];
  assert.is(last?.line, new TextDecoder().decode(cut).split('\n').length);
  assert.match(last?.message ?? '', /the last line may be cut/);
});

test('leading blank lines are skipped; a file that is not a session text says what line 1 should be', () => {
  assert.ok(parseSessionText(ascii('\n\r\nSESSION NAME:\tX\n'), 'blank-top.txt').ok);
  const e = error(parseSessionText(ascii('\n\nSession name: X\n'), 'lower.txt'));
  assert.equal([e.line, e.column], [3, 1]);
  assert.match(e.message, /expected line 3 to start with 'SESSION NAME:', found "Session name: X"/);
});

test('a file of more lines than the limit is refused before it is split', () => {
  const bytes = new Uint8Array(MAX_SESSION_TEXT_LINES + 100).fill(0x0a);
  bytes.set(ascii('SESSION NAME:\tX'), 0);
  const e = error(parseSessionText(bytes, 'many.txt'));
  assert.match(e.message, /line limit/);
});

test('warnings are capped, with a count of those left out', () => {
  const rows = Array.from({ length: MAX_SESSION_WARNINGS + 50 }, () => 'stray line\n').join('');
  const result = parseSessionText(ascii(`SESSION NAME:\tX\n${rows}`), 'stray.txt');
  assert.is(result.warnings.length, MAX_SESSION_WARNINGS + 1);
  assert.match(result.warnings[MAX_SESSION_WARNINGS]?.message ?? '', /^50 more not shown$/);
});

test('a file cut at a line boundary inside a listing warns that the header counts disagree', () => {
  const text = new TextDecoder().decode(fixtureBytes('OneOfEverything_PT2020.3.txt'));
  const cut = text.split('\n').slice(0, 15).join('\n') + '\n';
  const result = parseSessionText(ascii(cut), 'cut.txt');
  assert.ok(result.ok);
  assert.equal(
    result.warnings.map((w) => w.line),
    [11],
  );
  assert.match(result.warnings[0]?.message ?? '', /announces 7 audio files but the listing has 3/);
});

test('a malformed number in the header is a warning with line and column, not a crash', () => {
  const text = new TextDecoder()
    .decode(fixtureBytes('Test_Export_tc.txt'))
    .replace('SAMPLE RATE:\t48000.000000', 'SAMPLE RATE:\tfast');
  const result = parseSessionText(ascii(text), 'bad-rate.txt');
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.is(result.session.header.sampleRate, null);
  assert.equal(
    result.warnings.map((w) => [w.line, w.column]),
    [[2, 14]],
  );
});

test('an unknown section is kept as raw lines with a warning', () => {
  const text = new TextDecoder()
    .decode(fixtureBytes('Test_Export_tc.txt'))
    .replace('P L U G - I N S', 'V I D E O  F I L E S\nName\tPath\nclip.mov\t/Movies/\n\n\nP L U G - I N S');
  const result = parseSessionText(ascii(text), 'video.txt');
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.equal(result.session.unknownSections, [
    { title: 'VIDEO FILES', line: 15, lines: ['Name\tPath', 'clip.mov\t/Movies/', '', ''] },
  ]);
  assert.equal(
    result.warnings.map((w) => w.line),
    [15],
  );
});

test('pathological lines (long runs of spaces, many tabs) parse in linear time', () => {
  const head = new TextDecoder().decode(fixtureBytes('NewLinesAndTabs_PT2023.6.txt'));
  const nasty = `99  \t01:00:00:00  \t1 \tSamples\t${' '.repeat(400_000)}x\t${'\t'.repeat(200_000)}\n${' '.repeat(300_000)}y\n`;
  const started = performance.now();
  const result = parseSessionText(ascii(head + nasty), 'nasty.txt');
  const elapsed = performance.now() - started;
  assert.ok(result.ok);
  assert.ok(elapsed < 2000, `took ${elapsed.toFixed(0)} ms`);
});

test('an unknown header line is kept in otherFields, in order', () => {
  const text = new TextDecoder()
    .decode(fixtureBytes('Test_Export_tc.txt'))
    .replace('# OF AUDIO FILES:\t0\n', '# OF AUDIO FILES:\t0\n# OF VIDEO TRACKS:\t1\n');
  const result = parseSessionText(ascii(text), 'video-header.txt');
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.equal(result.session.header.otherFields, [{ key: '# OF VIDEO TRACKS', value: '1' }]);
  assert.is(result.session.tracks.length, 4);
});

test.run();
