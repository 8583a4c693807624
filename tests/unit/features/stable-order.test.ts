/**
 * The palette's order while the page is open (create-stable-order.ts): what stays keeps its
 * place, what is new joins at the end, what is gone leaves. Node's solid-js build does not
 * re-run memos; the live palette is checked in tests/e2e/console-two-people.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepShownOrder } from '../../../src/features/shared/create-stable-order.ts';

test('an item the source moved stays where it was shown', () => {
  assert.equal(keepShownOrder(['Kick', 'Snare', 'Lead Vox', 'BV'], ['Kick', 'Snare', 'BV', 'Lead Vox']), [
    'Kick',
    'Snare',
    'Lead Vox',
    'BV',
  ]);
});

test('a new item joins at the end, in the order the source gives new ones', () => {
  assert.equal(keepShownOrder(['Kick', 'Snare'], ['Room', 'Kick', 'Snare', 'Toms']), ['Kick', 'Snare', 'Room', 'Toms']);
});

test('a gone item leaves and the rest close up in their order', () => {
  assert.equal(keepShownOrder(['Kick', 'Snare', 'BV'], ['BV', 'Kick']), ['Kick', 'BV']);
});

test('the first list shown is the source order', () => {
  assert.equal(keepShownOrder([], ['BV', 'Kick']), ['BV', 'Kick']);
});

test.run();
