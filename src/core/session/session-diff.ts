/**
 * "Check a layout against a session": a layout's tracks against a newer session text of the
 * same show. Pure: names in, three lists out. A track is the same track when its name is the
 * same (the k-th "Vox" of the layout is the k-th "Vox" of the session, so duplicates pair up in
 * order); a reorder in the session is no change, since the layout decides where tracks sit.
 * What is left on each side is paired as a rename when the names are alike (bigram similarity
 * of the normalized names), or, less alike, when the two are the only unpaired tracks between
 * the same two unchanged neighbours (a renamed track keeps its place); ties go to the pair whose
 * positions are closest. Everything else is removed (layout side) or added (session side).
 */

/** A layout track: its id in the layout registers, name, and strip (null: the palette). */
export interface DiffLayoutTrack {
  id: string;
  name: string;
  strip: number | null;
}

export interface SessionDiff {
  /** Layout tracks the session no longer has, in layout order. */
  removed: DiffLayoutTrack[];
  /** Session tracks the layout does not have, in session order; `index` is their session position. */
  added: Array<{ name: string; index: number }>;
  /** Layout tracks the session has under another name (the track keeps its strip). */
  renamed: Array<{ id: string; from: string; to: string; strip: number | null; index: number }>;
}

/** Pro Tools has at most a few thousand tracks; more is not a session, and pairing is quadratic. */
export const MAX_DIFF_TRACKS = 2048;
/** Names at least this alike (0-1) are a rename wherever they are. */
export const RENAME_SIMILARITY = 0.5;
/** Names at least this alike are a rename when they also sit in the same place. */
export const RENAME_SIMILARITY_IN_PLACE = 0.2;
/** Best rename candidates kept per layout track before pairing. */
const CANDIDATES_PER_TRACK = 8;

/** Case, spacing and punctuation are not what makes two track names differ. */
export function normalizeTrackName(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Sorted character-bigram codes of a normalized name (a one-character name is its own "bigram"). */
function bigrams(s: string): number[] {
  const out: number[] = [];
  if (s.length < 2) return s.length ? [s.charCodeAt(0)] : [];
  for (let i = 0; i + 1 < s.length; i++) out.push(s.charCodeAt(i) * 65536 + s.charCodeAt(i + 1));
  return out.sort((a, b) => a - b);
}

/** Dice coefficient of two sorted bigram lists (multiset intersection). */
function dice(a: number[], b: number[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

/** How alike two track names are, 0 (nothing shared) to 1 (the same once normalized). */
export function trackNameSimilarity(a: string, b: string): number {
  return dice(bigrams(normalizeTrackName(a)), bigrams(normalizeTrackName(b)));
}

/**
 * Compares `layout` (its tracks in strip order, palette last) with `session` (track names in
 * session order). Throws a RangeError when either side has more than MAX_DIFF_TRACKS tracks.
 */
export function diffLayoutAgainstSession(layout: readonly DiffLayoutTrack[], session: readonly string[]): SessionDiff {
  for (const [what, n] of [
    ['layout', layout.length],
    ['session', session.length],
  ] as const)
    if (n > MAX_DIFF_TRACKS)
      throw new RangeError(`the ${what} has ${n} tracks; a check compares at most ${MAX_DIFF_TRACKS}`);

  // Same name: the k-th occurrence on one side is the k-th on the other.
  const byName = new Map<string, number[]>();
  session.forEach((name, j) => {
    const list = byName.get(name);
    if (list) list.push(j);
    else byName.set(name, [j]);
  });
  const sessionMatch = new Array<number>(session.length).fill(-1);
  const layoutMatch = new Array<number>(layout.length).fill(-1);
  layout.forEach((t, i) => {
    const j = byName.get(t.name)?.shift();
    if (j === undefined) return;
    layoutMatch[i] = j;
    sessionMatch[j] = i;
  });

  const leftL = layout.flatMap((_, i) => (layoutMatch[i] === -1 ? [i] : []));
  const leftS = session.flatMap((_, j) => (sessionMatch[j] === -1 ? [j] : []));

  // The "gap" of an unpaired track: the unchanged track before it (on its own side, as the
  // position of that track in the session), so two unpaired tracks between the same neighbours
  // share a gap. Layout gaps use the session position of the last same-named track before them.
  const gapL = new Map<number, number>();
  let last = -1;
  layout.forEach((_, i) => {
    if (layoutMatch[i] !== -1) last = layoutMatch[i]!;
    else gapL.set(i, last);
  });
  const gapS = new Map<number, number>();
  last = -1;
  session.forEach((_, j) => {
    if (sessionMatch[j] !== -1) last = j;
    else gapS.set(j, last);
  });
  const countIn = (gaps: Map<number, number>) => {
    const n = new Map<number, number>();
    for (const g of gaps.values()) n.set(g, (n.get(g) ?? 0) + 1);
    return n;
  };
  const perGapL = countIn(gapL);
  const perGapS = countIn(gapS);

  const gramsL = new Map(leftL.map((i) => [i, bigrams(normalizeTrackName(layout[i]!.name))]));
  const gramsS = new Map(leftS.map((j) => [j, bigrams(normalizeTrackName(session[j]!))]));
  // Positions compared as fractions of each side, so a longer session does not push every pair apart.
  const posL = (i: number) => (layout.length > 1 ? i / (layout.length - 1) : 0);
  const posS = (j: number) => (session.length > 1 ? j / (session.length - 1) : 0);
  type Candidate = { i: number; j: number; sim: number; dist: number };
  const byPreference = (a: Candidate, b: Candidate) => b.sim - a.sim || a.dist - b.dist || a.i - b.i || a.j - b.j;
  const candidates: Candidate[] = [];
  for (const i of leftL) {
    const gi = gapL.get(i)!;
    const alone = perGapL.get(gi) === 1;
    const mine: Candidate[] = [];
    for (const j of leftS) {
      const sim = dice(gramsL.get(i)!, gramsS.get(j)!);
      const inPlace = alone && gapS.get(j) === gi && perGapS.get(gi) === 1;
      if (sim >= RENAME_SIMILARITY || (inPlace && sim >= RENAME_SIMILARITY_IN_PLACE))
        mine.push({ i, j, sim: inPlace ? sim + 1 : sim, dist: Math.abs(posL(i) - posS(j)) });
    }
    // Memory stays linear however alike the names are ("Audio 1" … "Audio 2048").
    candidates.push(...mine.sort(byPreference).slice(0, CANDIDATES_PER_TRACK));
  }
  candidates.sort(byPreference);
  const renamedL = new Map<number, number>();
  const usedS = new Set<number>();
  for (const c of candidates) {
    if (renamedL.has(c.i) || usedS.has(c.j)) continue;
    renamedL.set(c.i, c.j);
    usedS.add(c.j);
  }

  return {
    removed: leftL.filter((i) => !renamedL.has(i)).map((i) => layout[i]!),
    added: leftS.filter((j) => !usedS.has(j)).map((j) => ({ name: session[j]!, index: j })),
    renamed: leftL
      .filter((i) => renamedL.has(i))
      .map((i) => {
        const t = layout[i]!;
        const j = renamedL.get(i)!;
        return { id: t.id, from: t.name, to: session[j]!, strip: t.strip, index: j };
      }),
  };
}
