/** Where a codec pushes peaks over: positions of all channels merged into ranges, moved back by the encoder delay. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clockTime, listRanges, overRanges } from '../../../src/core/codec/over-ranges.ts';

test('overs of both channels within a second of each other are one range; a later one starts another', () => {
  const r = overRanges([
    [72.1, 72.6, 160.2],
    [72.3, 73.4],
  ]);
  assert.equal(r, [
    { startSeconds: 72.1, endSeconds: 73.4, overs: 4 },
    { startSeconds: 160.2, endSeconds: 160.2, overs: 1 },
  ]);
  assert.is(listRanges(r), '1:12-1:13 and 2:40');
});

test('the encoder delay still in the decoded stream is subtracted, never below 0', () => {
  const r = overRanges([[0.01, 5.044]], 0.044);
  assert.is(r[0]!.startSeconds, 0);
  assert.ok(Math.abs(r[1]!.startSeconds - 5) < 1e-9);
});

test('times read as a DAW counter shows them; long lists end with "and N more"', () => {
  assert.is(clockTime(59.99), '0:59');
  assert.is(clockTime(3600 + 5), '60:05');
  const many = overRanges([[1, 10, 20, 30, 40, 50]]);
  assert.is(listRanges(many), '0:01, 0:10, 0:20, 0:30 and 2 more');
  assert.is(listRanges([]), '');
});

test.run();
