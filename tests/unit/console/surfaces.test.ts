import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRoomSurface, stripsForTracks } from '../../../src/core/console/index.ts';

test('a stored room surface is read only when it names a surface; strips snap to what it can have', () => {
  assert.equal(readRoomSurface({ surface: 'S3', strips: 16 }), { surface: 'S3', strips: 16 });
  assert.equal(readRoomSurface({ surface: 'S3', strips: 256 }), { surface: 'S3', strips: 16 });
  assert.equal(readRoomSurface({ surface: 'S1', strips: 12.5 }), { surface: 'S1', strips: 16 });
  assert.equal(readRoomSurface({ surface: 'S6', strips: 30 }), { surface: 'S6', strips: 32 });
  assert.equal(readRoomSurface({ surface: 'S6' }), { surface: 'S6', strips: 32 });
  assert.equal(readRoomSurface({ surface: 'Avid Control', strips: 8 }), { surface: 'Avid Control', strips: 8 });
  assert.is(readRoomSurface({ surface: 'S7', strips: 8 }), null);
  assert.is(readRoomSurface('S6'), null);
  assert.is(readRoomSurface(null), null);
});

test('with no room, a layout gets the tracks in whole 8-strip modules, 8 to 256', () => {
  assert.equal([0, 1, 8, 9, 24, 250, 300].map(stripsForTracks), [8, 8, 8, 16, 24, 256, 256]);
});

test.run();
