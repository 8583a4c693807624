/** Strip sheets (issue 15, part 4): abbreviations for a scribble-strip width, rows of 8, bank keys. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { abbreviateTrackName, stripSheet, type LayoutView } from '../../../src/core/console/index.ts';

test('a name that fits is kept as it is', () => {
  assert.is(abbreviateTrackName('Kick', 6), 'Kick');
  assert.is(abbreviateTrackName('  Lead  Vox ', 8), 'Lead Vox');
});

test('vowels go first, then lowercase letters; first letters and a trailing number stay', () => {
  assert.is(abbreviateTrackName('Lead Vox', 6), 'LeadVx');
  assert.is(abbreviateTrackName('Lead Vocal', 6), 'LedVcl');
  assert.is(abbreviateTrackName('Tom 12', 4), 'Tm12');
  assert.is(abbreviateTrackName('Overheads Left', 4), 'OvrL');
  assert.is(abbreviateTrackName('Backing Vocals Harmony 3', 6), 'BckVH3');
  assert.is(abbreviateTrackName('Dialog 128', 4), 'D128');
  for (const [name, width] of [
    ['Snare Top Microphone', 4],
    ['Ambience Surround Left Rear', 6],
    ['Kickñ 19', 5],
  ] as const)
    assert.ok([...abbreviateTrackName(name, width)].length <= width, `${name} fits ${width}`);
});

test('abbreviations tell apart tracks that differ only in their number', () => {
  const names = Array.from({ length: 12 }, (_, i) => abbreviateTrackName(`Backing Vocal ${i + 1}`, 5));
  assert.is(new Set(names).size, 12);
});

test('a sheet: strips in slot order, rows of one 8-fader module, blanks kept, bank keys that recall it', () => {
  const layout: LayoutView = {
    id: 'l',
    name: 'Band',
    surface: 'S3',
    strips: [
      ...Array.from({ length: 9 }, (_, i) => ({
        id: `s${i}`,
        slot: 9 - i,
        track: i === 4 ? null : `Track ${9 - i}`,
        colour: null,
      })),
      { id: 'bad', slot: NaN, track: 'Lost', colour: null },
    ],
  };
  const sheet = stripSheet(layout, { A: 'Band', B: 'Other', 'Shift+C': 'Band' } as never, 6);
  assert.equal(
    sheet.rows.map((row) => row.map((c) => c.slot)),
    [[1, 2, 3, 4, 5, 6, 7, 8], [9]],
  );
  assert.is(sheet.rows[0]![4]!.name, null);
  assert.is(sheet.rows[0]![4]!.scribble, '');
  assert.is(sheet.rows[0]![0]!.scribble, 'Track1');
  assert.equal(sheet.bankKeys, ['A', 'Shift+C']);
});

test('a cell carries its strip colour (name to print, fill, readable ink); garbage is uncoloured', () => {
  const layout: LayoutView = {
    id: 'l',
    name: 'Band',
    surface: null,
    strips: [
      { id: 'a', slot: 1, track: 'Kick', colour: 'red' },
      { id: 'b', slot: 2, track: 'Snare', colour: 'no such colour' },
      { id: 'c', slot: 3, track: null, colour: 'yellow' },
      { id: 'd', slot: 4, track: 'Bass', colour: null },
    ],
  };
  const cells = stripSheet(layout, {}, 8).rows[0]!;
  assert.equal(cells[0]!.colour, { value: 'red', name: 'red', css: '#d23c3c', ink: '#ffffff' });
  assert.is(cells[1]!.colour, null);
  assert.is(cells[2]!.colour?.name, 'yellow');
  assert.is(cells[2]!.colour?.ink, '#000000');
  assert.is(cells[3]!.colour, null);
});

test.run();
