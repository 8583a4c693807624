/**
 * Matching the children of an old node (the model) with those of a new one (a parsed text), the
 * step of the tree diff behind applying edited XML text (text-apply.ts):
 *
 * 1. Equal subtrees are paired (same hash, confirmed node for node), in order.
 * 2. Of those pairs, the longest run in the same order stays where it is (the anchors); the
 *    others were moved and get a new place.
 * 3. Between two anchors, the remaining old and new children are paired by kind and element
 *    name, best attribute agreement first, keeping their order (a small alignment; past
 *    MAX_ALIGN cells a greedy in-order pass, so a hostile list of thousands of siblings stays
 *    linear). Such a pair keeps its node id and is diffed further down.
 * 4. What is left is inserted (new) or removed (old).
 *
 * Children keep their ids wherever they can, which is what lets a collaborator's concurrent
 * edit of an untouched node merge with the applied text.
 */
import { sameSubtree, type FlatNode, type FlatTree } from './flat-tree.ts';

/** One new child and where it comes from. */
export type Slot =
  /** An equal old subtree, left in place. */
  | { n: number; o: number; how: 'anchor' }
  /** An old node of the same kind and name, left in place and diffed further. */
  | { n: number; o: number; how: 'paired' }
  /** An equal old subtree that was moved here from elsewhere in the list. */
  | { n: number; o: number; how: 'moved' }
  /** Nothing old matches: created (or found elsewhere in the document, see text-apply.ts). */
  | { n: number; o: -1; how: 'new' };

export interface ChildMatch {
  /** The new children in order. */
  slots: Slot[];
  /** Old children no new child took. */
  removed: number[];
}

/** Alignment cells (old × new children between two anchors) above which pairing is greedy. */
export const MAX_ALIGN = 40_000;

export function matchChildren(before: FlatTree, oldParent: number, after: FlatTree, newParent: number): ChildMatch {
  const olds = before.nodes[oldParent]!.children;
  const news = after.nodes[newParent]!.children;
  const taken = new Uint8Array(olds.length);
  const exact = new Int32Array(news.length).fill(-1);

  const byHash = new Map<number, number[]>();
  olds.forEach((o, i) => {
    const h = before.nodes[o]!.hash;
    const list = byHash.get(h);
    if (list) list.push(i);
    else byHash.set(h, [i]);
  });
  // A cursor per hash, not shift(): thousands of equal whitespace nodes must stay linear.
  const used = new Map<number, number>();
  news.forEach((n, j) => {
    const h = after.nodes[n]!.hash;
    const at = used.get(h) ?? 0;
    const i = byHash.get(h)?.[at];
    used.set(h, at + 1);
    if (i !== undefined && sameSubtree(before, olds[i]!, after, n)) {
      exact[j] = i;
      taken[i] = 1;
    }
  });

  const inOrder = longestIncreasing(exact);
  const slots: Slot[] = new Array<Slot>(news.length);
  const paired = new Int32Array(news.length).fill(-1);
  let gapNews: number[] = [];
  let lastOld = -1;
  const closeGap = (nextOld: number) => {
    const gapOlds: number[] = [];
    for (let i = lastOld + 1; i < nextOld; i++) if (!taken[i]) gapOlds.push(i);
    for (const [i, j] of align(before, olds, gapOlds, after, news, gapNews)) {
      paired[j] = i;
      taken[i] = 1;
    }
    gapNews = [];
  };
  news.forEach((n, j) => {
    if (inOrder[j]) {
      closeGap(exact[j]!);
      lastOld = exact[j]!;
    } else if (exact[j] === -1) gapNews.push(j);
  });
  closeGap(olds.length);

  news.forEach((n, j) => {
    if (inOrder[j]) slots[j] = { n, o: olds[exact[j]!]!, how: 'anchor' };
    else if (exact[j]! >= 0) slots[j] = { n, o: olds[exact[j]!]!, how: 'moved' };
    else if (paired[j]! >= 0) slots[j] = { n, o: olds[paired[j]!]!, how: 'paired' };
    else slots[j] = { n, o: -1, how: 'new' };
  });
  const removed = olds.filter((_, i) => !taken[i]);
  return { slots, removed };
}

/** Marks the entries (>= 0) of a longest strictly increasing subsequence; -1 entries never belong. */
function longestIncreasing(values: Int32Array): Uint8Array {
  const tails: number[] = [];
  const prev = new Int32Array(values.length).fill(-1);
  values.forEach((v, j) => {
    if (v < 0) return;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[j] = tails[lo - 1]!;
    tails[lo] = j;
  });
  const marks = new Uint8Array(values.length);
  for (let j = tails.length ? tails[tails.length - 1]! : -1; j >= 0; j = prev[j]!) marks[j] = 1;
  return marks;
}

/** How well an old node stands for a new one: -1 when it cannot (another kind or element name). */
function affinity(a: FlatNode, b: FlatNode): number {
  if (a.kind !== b.kind || a.name !== b.name) return -1;
  if (a.kind !== 'element') return a.text === b.text ? 2 : 1;
  let same = 0;
  for (const x of b.attrs) if (a.attrs.some((y) => y.name === x.name && y.value === x.value)) same++;
  return 1 + same / Math.max(1, a.attrs.length, b.attrs.length);
}

/** Order-keeping pairs [old position, new position] between two anchors, best total affinity. */
function align(
  before: FlatTree,
  olds: number[],
  gapOlds: number[],
  after: FlatTree,
  news: number[],
  gapNews: number[],
): Array<[number, number]> {
  const a = gapOlds.length;
  const b = gapNews.length;
  if (a === 0 || b === 0) return [];
  const score = (x: number, y: number) => affinity(before.nodes[olds[gapOlds[x]!]!]!, after.nodes[news[gapNews[y]!]!]!);
  const out: Array<[number, number]> = [];
  if ((a + 1) * (b + 1) > MAX_ALIGN) {
    let from = 0;
    for (let y = 0; y < b && from < a; y++) {
      for (let x = from; x < Math.min(a, from + 64); x++) {
        if (score(x, y) < 0) continue;
        out.push([gapOlds[x]!, gapNews[y]!]);
        from = x + 1;
        break;
      }
    }
    return out;
  }
  const w = b + 1;
  const best = new Float64Array((a + 1) * w);
  for (let x = 1; x <= a; x++)
    for (let y = 1; y <= b; y++) {
      const s = score(x - 1, y - 1);
      best[x * w + y] = Math.max(
        best[(x - 1) * w + y]!,
        best[x * w + y - 1]!,
        s < 0 ? 0 : best[(x - 1) * w + y - 1]! + s,
      );
    }
  for (let x = a, y = b; x > 0 && y > 0;) {
    const here = best[x * w + y]!;
    if (here === best[(x - 1) * w + y]) x--;
    else if (here === best[x * w + y - 1]) y--;
    else {
      out.push([gapOlds[x - 1]!, gapNews[y - 1]!]);
      x--;
      y--;
    }
  }
  return out.reverse();
}
