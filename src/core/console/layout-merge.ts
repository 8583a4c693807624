/**
 * Layout edits as intents on track entities, and the reconcile step that writes the merged
 * result into the layout XML (docs/merge.md). Every operation here writes its registers and then
 * reconciles in one transaction; a peer that receives updates reconciles again (watchLayoutMerge),
 * and since every peer computes the same resolution, their corrections agree.
 */
import type * as Y from 'yjs';
import { childElements, getAttribute, removeAttribute, type NodeId } from '../xml/index.ts';
import { assignTrack, MAX_STRIP, removeLayout } from './layout.ts';
import { resolveLayouts, type LostIntent, type Resolution, type ResolvedTrack } from './layout-resolve.ts';
import {
  encodeEntry,
  layoutIds,
  mergeMap,
  nextClock,
  readMergeState,
  seededLayouts,
  seedEntries,
  seedLayout,
  writeLayoutRemoved,
  writeName,
  writeStrip,
  writeTrack,
  writeTrackDeleted,
  type Editor,
} from './layout-tracks.ts';

/** The transaction origin of reconcile writes (never tracked by an undo manager). */
export const RECONCILE_ORIGIN = { layoutMerge: 'reconcile' };

/** The resolution of every layout; layouts nobody edited yet read as seeding would write them. */
export function resolveDoc(doc: Y.Doc): Resolution {
  return resolveLayouts(mergeStateOf(doc), layoutIds(doc));
}

/** The registers, with layouts nobody edited yet read as seeding would write them. */
export function mergeStateOf(doc: Y.Doc): ReturnType<typeof readMergeState> {
  const seeded = seededLayouts(doc);
  return readMergeState(
    doc,
    [...layoutIds(doc)].filter((l) => !seeded.has(l)).flatMap((l) => seedEntries(doc, l)),
  );
}

/** A layout's tracks as resolved: on strips (by slot) and unassigned (the palette). */
export function layoutTracks(
  doc: Y.Doc,
  layout: NodeId,
): { onStrip: Map<number, ResolvedTrack>; unassigned: ResolvedTrack[] } {
  const onStrip = new Map<number, ResolvedTrack>();
  const unassigned: ResolvedTrack[] = [];
  for (const t of resolveDoc(doc).tracks) {
    if (t.layout !== layout) continue;
    if (t.strip === null) unassigned.push(t);
    else onStrip.set(t.strip, t);
  }
  return { onStrip, unassigned };
}

/**
 * Makes the registers settle what a merge decided and the XML show it: a track that lost its
 * strip gets a settlement entry (so it stays where it went even if the winner moves on), every
 * lost intent is recorded for the history, and each edited layout's strips are written from
 * the resolution. Writes nothing when all is already so. Returns the lost intents found now.
 */
export function reconcileLayouts(doc: Y.Doc): LostIntent[] {
  const seeded = seededLayouts(doc);
  if (seeded.size === 0) return [];
  const map = mergeMap(doc);
  const res = resolveDoc(doc);
  doc.transact(() => {
    for (const s of res.settle) {
      map.set(
        `s|${s.track}|settle`,
        encodeEntry({ ...s.loser, v: s.to, c: Math.floor(s.loser.c) + 0.5, base: s.loser.at }, true),
      );
    }
    for (const l of res.lost) if (!map.has(`c|${l.id}`)) map.set(`c|${l.id}`, l);
    const byLayout = new Map<NodeId, Map<number, string>>();
    for (const t of res.tracks) {
      if (t.strip === null) continue;
      let m = byLayout.get(t.layout);
      if (!m) byLayout.set(t.layout, (m = new Map()));
      m.set(t.strip, t.name);
    }
    for (const layout of layoutIds(doc)) {
      if (!seeded.has(layout)) continue;
      const want = byLayout.get(layout) ?? new Map<number, string>();
      const done = new Set<number>();
      for (const s of childElements(doc, layout, 'Strip')) {
        const raw = getAttribute(doc, s, 'slot');
        const slot = raw !== null && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
        const has = getAttribute(doc, s, 'track');
        const first = Number.isInteger(slot) && !done.has(slot);
        const should = first ? (want.get(slot) ?? null) : null;
        if (first) done.add(slot);
        if ((has || null) === should) continue;
        if (should === null) removeAttribute(doc, s, 'track');
        else assignTrack(doc, layout, slot, should);
      }
      for (const [slot, name] of want)
        if (!done.has(slot) && slot >= 1 && slot <= MAX_STRIP) assignTrack(doc, layout, slot, name);
    }
  }, RECONCILE_ORIGIN);
  return res.lost;
}

/** Reconciles after every update from elsewhere (a collaborator, the relay, this device's store). Returns the unsubscribe. */
export function watchLayoutMerge(doc: Y.Doc): () => void {
  const map = mergeMap(doc);
  const onChange = (_e: unknown, tr: Y.Transaction) => {
    if (!tr.local) reconcileLayouts(doc);
  };
  map.observe(onChange);
  reconcileLayouts(doc);
  return () => map.unobserve(onChange);
}

/** Runs `fn` with the layout seeded, the current resolution and a fresh clock, then reconciles. */
function operate(
  doc: Y.Doc,
  layout: NodeId,
  fn: (ctx: { res: Resolution; at: number; state: ReturnType<typeof readMergeState> }) => void,
): void {
  doc.transact(() => {
    seedLayout(doc, layout);
    const state = readMergeState(doc);
    fn({ res: resolveLayouts(state, layoutIds(doc)), at: nextClock(doc), state });
    reconcileLayouts(doc);
  });
}

const checkSlot = (slot: number) => {
  if (!Number.isInteger(slot) || slot < 1 || slot > MAX_STRIP)
    throw new RangeError(`strip ${slot} is outside 1-${MAX_STRIP}`);
};

const inLayout = (res: Resolution, layout: NodeId) => res.tracks.filter((t) => t.layout === layout);

/**
 * Puts the track named `name` on a strip: the layout's track of that name moves there (one on a
 * strip first, else one from the palette); a new track is made if the layout has none. Whatever
 * was on the strip goes to the palette. Returns the track's id.
 */
export function placeTrack(doc: Y.Doc, layout: NodeId, slot: number, name: string, ed: Editor): string {
  checkSlot(slot);
  let id = '';
  operate(doc, layout, ({ res, at, state }) => {
    const mine = inLayout(res, layout);
    const track =
      mine.find((t) => t.name === name && t.strip !== null) ?? mine.find((t) => t.name === name && t.strip === null);
    const there = mine.find((t) => t.strip === slot);
    if (track && track === there) {
      id = track.id;
      return;
    }
    if (there) writeStrip(doc, state, there.id, null, slot, at, ed);
    if (track) id = track.id;
    else {
      id = writeTrack(doc, layout, at, ed);
      writeName(doc, state, id, name, at, ed);
    }
    writeStrip(doc, state, id, slot, track?.strip ?? null, at, ed);
  });
  return id;
}

/** Moves a strip's track to another strip; what was there goes the other way (a swap). */
export function moveStrip(doc: Y.Doc, layout: NodeId, from: number, to: number, ed: Editor): void {
  checkSlot(from);
  checkSlot(to);
  if (from === to) return;
  operate(doc, layout, ({ res, at, state }) => {
    const mine = inLayout(res, layout);
    const a = mine.find((t) => t.strip === from);
    const b = mine.find((t) => t.strip === to);
    if (a) writeStrip(doc, state, a.id, to, from, at, ed);
    if (b) writeStrip(doc, state, b.id, from, to, at, ed);
  });
}

/** Blanks a strip: its track goes back to the palette. */
export function clearStrip(doc: Y.Doc, layout: NodeId, slot: number, ed: Editor): void {
  checkSlot(slot);
  operate(doc, layout, ({ res, at, state }) => {
    const there = inLayout(res, layout).find((t) => t.strip === slot);
    if (there) writeStrip(doc, state, there.id, null, slot, at, ed);
  });
}

/** Adds a track to the layout's palette (on no strip). Returns its id. */
export function addPaletteTrack(doc: Y.Doc, layout: NodeId, name: string, ed: Editor): string {
  let id = '';
  operate(doc, layout, ({ at, state }) => {
    id = writeTrack(doc, layout, at, ed);
    writeName(doc, state, id, name, at, ed);
    writeStrip(doc, state, id, null, null, at, ed);
  });
  return id;
}

export function renameTrack(doc: Y.Doc, layout: NodeId, track: string, name: string, ed: Editor): void {
  operate(doc, layout, ({ at, state }) => writeName(doc, state, track, name, at, ed));
}

/** Deletes a track for good (the only way a track leaves a layout, besides removing the layout). */
export function deleteTrack(doc: Y.Doc, layout: NodeId, track: string, ed: Editor): void {
  operate(doc, layout, ({ at, state }) => writeTrackDeleted(doc, state, track, at, ed));
}

/** Removes a layout and, with it, its tracks; moves into it nobody had seen are reported. */
export function removeLayoutTracked(doc: Y.Doc, layout: NodeId, ed: Editor): void {
  doc.transact(() => {
    writeLayoutRemoved(doc, layout, nextClock(doc), ed);
    removeLayout(doc, layout);
    reconcileLayouts(doc);
  });
}
