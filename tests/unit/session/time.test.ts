import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDropFrame, timeFormatOf } from '../../../src/core/session/index.ts';

test('every Pro Tools time format is recognised, with and without sub-units', () => {
  const cases: Array<[string, string]> = [
    ['01:00:00:00', 'timecode'],
    ['01:00:00:00.45', 'timecode'],
    ['00:59:59;28', 'timecode'],
    ['00:59:59;28.00', 'timecode'],
    ['5400+00', 'feet+frames'],
    ['5400+12.50', 'feet+frames'],
    ['1:05', 'min:secs'],
    ['1:05.250', 'min:secs'],
    ['1:00:05.250', 'min:secs'],
    ['43.125', 'min:secs'],
    ['172800000', 'samples'],
    ['1|1', 'bars|beats'],
    ['1| 1| 000', 'bars|beats'],
    ['112|4|959', 'bars|beats'],
  ];
  assert.equal(
    cases.map(([v]) => [v, timeFormatOf(v)]),
    cases,
  );
});

test('values that fit no format are not guessed', () => {
  for (const v of ['', '1:5', '01:00:00:00:00', '5400+', 'abc', '1|', '12:00:00.1234', '1;00']) {
    assert.is(timeFormatOf(v), null, v);
  }
});

test('drop-frame timecode is told by its semicolon', () => {
  assert.ok(isDropFrame('01:00:00;02'));
  assert.ok(isDropFrame('01:00:00;02.45'));
  assert.not.ok(isDropFrame('01:00:00:02'));
});

test.run();
