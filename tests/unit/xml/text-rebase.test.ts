/**
 * The raw view's rebase: a person's edit of the XML text and a collaborator's change made
 * meanwhile both survive when they are apart, and nothing is guessed when they meet.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rebaseTextEdit } from '../../../src/core/xml/text-rebase.ts';

const BASE = '<a>\n  <b x="1"/>\n  <c y="2"/>\n</a>\n';

test('changes apart both apply, whichever comes first in the text', () => {
  const ours = BASE.replace('x="1"', 'x="10"');
  const theirs = BASE.replace('y="2"', 'y="20"');
  const both = BASE.replace('x="1"', 'x="10"').replace('y="2"', 'y="20"');
  assert.is(rebaseTextEdit(BASE, ours, theirs), both);
  assert.is(rebaseTextEdit(BASE, theirs, ours), both);
});

test('no change on one side gives the other side', () => {
  const ours = BASE.replace('x="1"', 'x="10"');
  assert.is(rebaseTextEdit(BASE, ours, BASE), ours);
  assert.is(rebaseTextEdit(BASE, BASE, ours), ours);
});

test('overlapping or touching changes are not merged', () => {
  assert.is(rebaseTextEdit(BASE, BASE.replace('x="1"', 'x="10"'), BASE.replace('x="1"', 'x="11"')), null);
  assert.is(rebaseTextEdit(BASE, BASE.replace('<b x="1"/>', '<b/>'), BASE.replace('x="1"/>', 'x="1" z="3"/>')), null);
});

test('an insertion next to an unchanged stretch merges with a change further on', () => {
  const ours = BASE.replace('  <c', '  <new/>\n  <c');
  const theirs = BASE.replace('</a>', '</a><!-- end -->');
  assert.is(rebaseTextEdit(BASE, ours, theirs), ours.replace('</a>', '</a><!-- end -->'));
});

test.run();
