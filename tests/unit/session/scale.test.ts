import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSessionText } from '../../../src/core/session/index.ts';
import { ascii } from './support.ts';

/** A large but plausible export: 1,000 tracks of 20 events each and 5,000 markers. */
function bigSession(tracks: number, events: number, markers: number): string {
  const out = [
    'SESSION NAME:\tBig',
    'SAMPLE RATE:\t48000.000000',
    'BIT DEPTH:\t24-bit',
    'SESSION START TIMECODE:\t01:00:00:00',
    'TIMECODE FORMAT:\t25 Frame',
    `# OF AUDIO TRACKS:\t${tracks}`,
    '# OF AUDIO CLIPS:\t0',
    '# OF AUDIO FILES:\t0',
    '',
    '',
    'T R A C K  L I S T I N G',
  ];
  for (let t = 1; t <= tracks; t++) {
    out.push(
      `TRACK NAME:\tTrack ${t}`,
      'COMMENTS:\tsome\tcomment',
      'USER DELAY:\t0 Samples',
      'STATE: ',
      'PLUG-INS: \tEQ3 7-Band (mono)',
      'CHANNEL \tEVENT   \tCLIP NAME                     \tSTART TIME    \tEND TIME      \tDURATION      \tSTATE',
    );
    for (let e = 1; e <= events; e++)
      out.push(
        `1       \t${String(e).padEnd(8)}\tClip ${t}-${e}`.padEnd(50) +
          '\t   01:00:00:00\t   01:00:01:00\t   00:00:01:00\tUnmuted',
      );
    out.push('', '');
  }
  out.push(
    'M A R K E R S  L I S T I N G',
    '#   \tLOCATION     \tTIME REFERENCE    \tUNITS    \tNAME                             \tCOMMENTS',
  );
  for (let m = 1; m <= markers; m++)
    out.push(
      `${String(m).padEnd(4)}\t01:00:00:00  \t${String(m * 48000).padEnd(18)}\tSamples  \t${`Marker\t${m}`.padEnd(33)}\tnote ${m}`,
    );
  return out.join('\n') + '\n';
}

test('a multi-megabyte export parses in well under two seconds', () => {
  const bytes = ascii(bigSession(1000, 20, 5000));
  const started = performance.now();
  const result = parseSessionText(bytes, 'big.txt');
  const elapsed = performance.now() - started;
  assert.ok(result.ok);
  if (!result.ok) return;
  assert.is(result.session.tracks.length, 1000);
  assert.is(result.session.tracks[999]?.events.length, 20);
  assert.is(result.session.markers.length, 5000);
  assert.is(result.session.markers[4999]?.name, 'Marker\t5000');
  assert.ok(elapsed < 2000, `${(bytes.length / 1e6).toFixed(1)} MB took ${elapsed.toFixed(0)} ms`);
  console.log(`  ${(bytes.length / 1e6).toFixed(1)} MB parsed in ${elapsed.toFixed(0)} ms`);
});

// Regression: listings were appended with push(...rows), which overflows the call stack past ~120k rows.
test('a listing of 200,000 markers is read whole', () => {
  const result = parseSessionText(ascii(bigSession(0, 0, 200_000)), 'markers.txt');
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  if (result.ok) assert.is(result.session.markers.length, 200_000);
});

test.run();
