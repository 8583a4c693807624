/**
 * Three-way merge of two edits of one short text (a key label): each side's change is the one
 * range of `base` it replaced; ranges apart both apply, ranges that meet keep both insertions
 * (`ours` first). Deterministic, so every peer merging the same three strings gets the same text.
 */
import { changeOf } from '../xml/text-rebase.ts';

export function mergeText(base: string, ours: string, theirs: string): string {
  const a = changeOf(base, ours);
  const b = changeOf(base, theirs);
  if (!a) return theirs;
  if (!b || ours === theirs) return ours;
  if (a.end <= b.start && !(a.end === b.start && a.start === b.start && b.start === b.end && a.start === a.end)) {
    return base.slice(0, a.start) + a.text + base.slice(a.end, b.start) + b.text + base.slice(b.end);
  }
  if (b.end <= a.start && !(a.start === b.end && a.start === a.end && b.start === b.end)) {
    return base.slice(0, b.start) + b.text + base.slice(b.end, a.start) + a.text + base.slice(a.end);
  }
  // Overlapping replacements: both texts kept over the union of the ranges.
  const start = Math.min(a.start, b.start);
  const end = Math.max(a.end, b.end);
  const text =
    a.text === b.text ? a.text : b.text.includes(a.text) ? b.text : a.text.includes(b.text) ? a.text : a.text + b.text;
  return base.slice(0, start) + text + base.slice(end);
}
