/**
 * Carrying a person's edit of the raw XML text over a change a collaborator made meanwhile:
 * each side's change is taken as the one stretch of the starting text it replaced (common
 * prefix and suffix trimmed). When the two stretches are apart, both apply; when they overlap
 * or touch there is no safe answer, and the caller decides (the raw view then applies the
 * person's own text).
 */

/** One edit of a text as the stretch [start, end) of the original it replaced, and what replaced it. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** The change from `base` to `edited` as one stretch (common prefix and suffix left out); null when equal. */
export function changeOf(base: string, edited: string): TextChange | null {
  if (base === edited) return null;
  let start = 0;
  const most = Math.min(base.length, edited.length);
  while (start < most && base.charCodeAt(start) === edited.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < most - start && base.charCodeAt(base.length - 1 - tail) === edited.charCodeAt(edited.length - 1 - tail))
    tail++;
  return { start, end: base.length - tail, text: edited.slice(start, edited.length - tail) };
}

/** `ours` with `theirs`' change carried in, both made from `base`; null when the changes overlap or touch. */
export function rebaseTextEdit(base: string, ours: string, theirs: string): string | null {
  const a = changeOf(base, ours);
  const b = changeOf(base, theirs);
  if (!a) return theirs;
  if (!b) return ours;
  const [first, second] = a.start <= b.start ? [a, b] : [b, a];
  if (first.end >= second.start) return null;
  return (
    base.slice(0, first.start) + first.text + base.slice(first.end, second.start) + second.text + base.slice(second.end)
  );
}
