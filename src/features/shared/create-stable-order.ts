/**
 * A list a person aims at (the track palette) keeps its items in place while the page is open:
 * an item that stays keeps the place it was first shown at, a new one joins at the end, a gone
 * one leaves. Without it a collaborator's edit that reorders the source (a track placed on an
 * earlier strip) moves the buttons under the pointer between aiming and clicking. Owner-bound.
 */
import { createMemo, type Accessor } from 'solid-js';

/** `next` in the order of `shown`, then what `shown` did not have, in `next`'s order. */
export function keepShownOrder<T>(shown: readonly T[], next: readonly T[]): T[] {
  const present = new Set(next);
  const kept = shown.filter((item) => present.has(item));
  const known = new Set(kept);
  return [...kept, ...next.filter((item) => !known.has(item))];
}

export function createStableOrder<T>(items: Accessor<readonly T[]>): Accessor<T[]> {
  return createMemo<T[]>((shown) => keepShownOrder(shown, items()), []);
}
