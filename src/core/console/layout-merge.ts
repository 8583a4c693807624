/**
 * Layout edits as intents on track entities, and the reconcile step that writes the merged
 * result into the layout XML (docs/merge.md). Every operation here writes its registers and then
 * reconciles in one transaction; a peer that receives updates reconciles again (watchLayoutMerge),
 * and since every peer computes the same resolution, their corrections agree.
 */
import type * as Y from 'yjs';
import { removeAttribute, setAttribute, type NodeId } from '../xml/index.ts';
import { assignTrack, MAX_STRIP, removeLayout } from './layout.ts';
import { resolveLayouts, type LostIntent, type Resolution, type ResolvedTrack } from './layout-resolve.ts';
import { changedStripTracks, viewLayouts, viewStrips } from './layout-strips-view.ts';
import {
  encodeEntry,
  encodeLostIntent,
  mergeMap,
  mergeVersion,
  nextClock,
  readMergeState,
  seededLayouts,
  seedEntries,
  seedLayout,
  withEntries,
  writeLayoutRemoved,
  writeName,
  writeStrip,
  writeTrack,
  writeTrackDeleted,
  type Editor,
} from './layout-tracks.ts';

/** The transaction origin of reconcile writes (never tracked by an undo manager). */
export const RECONCILE_ORIGIN = { layoutMerge: 'reconcile' };

/** Layout elements present in the XML. */
export function layoutIds(doc: Y.Doc): Set<NodeId> {
  return viewLayouts(doc);
}

const resolutions = new WeakMap<Y.Doc, { version: number; layouts: Set<NodeId>; res: Resolution }>();

/** The resolution of the seeded layouts (cached until the registers or the set of layouts change). */
function resolveSeeded(doc: Y.Doc): Resolution {
  const version = mergeVersion(doc);
  const layouts = viewLayouts(doc);
  const hit = resolutions.get(doc);
  if (hit && hit.version === version && hit.layouts === layouts) return hit.res;
  const res = resolveLayouts(readMergeState(doc), layouts);
  resolutions.set(doc, { version, layouts, res });
  return res;
}

/** The layouts in the XML whose tracks are not in the registers yet. */
function unseeded(doc: Y.Doc): NodeId[] {
  const seeded = seededLayouts(doc);
  return [...viewLayouts(doc)].filter((l) => !seeded.has(l));
}

/** The resolution of every layout; layouts nobody edited yet read as seeding would write them. */
export function resolveDoc(doc: Y.Doc): Resolution {
  if (unseeded(doc).length === 0) return resolveSeeded(doc);
  return resolveLayouts(mergeStateOf(doc), viewLayouts(doc));
}

/** The registers, with layouts nobody edited yet read as seeding would write them. */
export function mergeStateOf(doc: Y.Doc): ReturnType<typeof readMergeState> {
  return withEntries(
    readMergeState(doc),
    unseeded(doc).flatMap((l) => seedEntries(doc, l)),
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

/** Lost intents known to be in the history already (resolve hands back the same objects). */
const recorded = new WeakSet<LostIntent>();

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes the registers settle what a merge decided and the XML show it: a track that lost its
 * strip gets a settlement entry (so it stays where it went even if the winner moves on), every
 * lost intent is recorded for the history, and each edited layout's strips are written from
 * the resolution. Writes nothing when all is already so, and only the strips that differ (every
 * write of the XML adds to the document for good). Returns the lost intents found now.
 */
export function reconcileLayouts(doc: Y.Doc): LostIntent[] {
  const seeded = seededLayouts(doc);
  if (seeded.size === 0) return [];
  const map = mergeMap(doc);
  const res = resolveSeeded(doc);
  doc.transact(() => {
    for (const s of res.settle) {
      const key = `s|${s.track}|settle`;
      const value = encodeEntry({ ...s.loser, v: s.to, c: Math.floor(s.loser.c) + 0.5, base: s.loser.at }, true);
      if (!sameJson(map.get(key), value)) map.set(key, value);
    }
    for (const l of res.lost) {
      if (recorded.has(l)) continue;
      if (!map.has(`c|${l.id}`)) map.set(`c|${l.id}`, encodeLostIntent(l));
      recorded.add(l);
    }
    const byLayout = new Map<NodeId, Map<number, string>>();
    for (const t of res.tracks) {
      if (t.strip === null) continue;
      let m = byLayout.get(t.layout);
      if (!m) byLayout.set(t.layout, (m = new Map()));
      m.set(t.strip, t.name);
    }
    for (const layout of [...viewLayouts(doc)]) {
      if (!seeded.has(layout)) continue;
      const want = byLayout.get(layout) ?? new Map<number, string>();
      const done = new Set<number>();
      const missing: Array<[number, string]> = [];
      for (const row of viewStrips(doc, layout)) {
        const first = Number.isInteger(row.slot) && !done.has(row.slot);
        const should = first ? (want.get(row.slot) ?? null) : null;
        if (first) done.add(row.slot);
        if (row.track === should) continue;
        if (should === null) removeAttribute(doc, row.id, 'track');
        else setAttribute(doc, row.id, 'track', should);
        row.track = should;
      }
      for (const [slot, name] of want)
        if (!done.has(slot) && slot >= 1 && slot <= MAX_STRIP) missing.push([slot, name]);
      for (const [slot, name] of missing) assignTrack(doc, layout, slot, name);
    }
  }, RECONCILE_ORIGIN);
  return res.lost;
}

/**
 * Keeps the layouts merged as the document changes: after an update from elsewhere (a
 * collaborator, the relay, this device's store) the registers are reconciled into the XML; after
 * a local edit of a strip's `track` in the XML itself (the raw tree), the edit becomes a
 * placement in the registers, as if made in the layout editor, so the next merge keeps it.
 * `editor` says who edits here (for the history). Returns the unsubscribe.
 */
export function watchLayoutMerge(doc: Y.Doc, editor: () => Editor = () => ({ who: '', now: 0 })): () => void {
  const map = mergeMap(doc);
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === RECONCILE_ORIGIN) return;
    if (!tr.local) {
      if (tr.changed.has(map as never) || changedStripTracks(doc, tr).length) reconcileLayouts(doc);
      return;
    }
    adoptRawTrackEdits(doc, changedStripTracks(doc, tr), tr.origin, editor);
  };
  doc.on('afterTransaction', onTransaction);
  reconcileLayouts(doc);
  return () => doc.off('afterTransaction', onTransaction);
}

/**
 * Strips of edited layouts whose `track` in the XML differs from the resolution after a local
 * transaction: someone edited the XML directly. Each becomes a placement (or a clear).
 */
function adoptRawTrackEdits(doc: Y.Doc, strips: NodeId[], origin: unknown, editor: () => Editor): void {
  if (strips.length === 0) return;
  const seeded = seededLayouts(doc);
  if (seeded.size === 0) return;
  const wanted = new Set(strips);
  const edits: Array<{ layout: NodeId; slot: number; track: string | null }> = [];
  const res = resolveSeeded(doc);
  for (const layout of viewLayouts(doc)) {
    if (!seeded.has(layout)) continue;
    const done = new Set<number>();
    for (const row of viewStrips(doc, layout)) {
      const first = Number.isInteger(row.slot) && !done.has(row.slot);
      if (first) done.add(row.slot);
      if (!first || !wanted.has(row.id) || row.slot < 1 || row.slot > MAX_STRIP) continue;
      const there = res.tracks.find((t) => t.layout === layout && t.strip === row.slot);
      if ((there?.name ?? null) !== row.track) edits.push({ layout, slot: row.slot, track: row.track });
    }
  }
  if (edits.length === 0) return;
  doc.transact(() => {
    for (const e of edits) {
      if (e.track === null) clearStrip(doc, e.layout, e.slot, editor());
      else placeTrack(doc, e.layout, e.slot, e.track, editor());
    }
  }, origin);
}

/** Runs `fn` with the layout seeded, the current resolution and a fresh clock, then reconciles. */
function operate(
  doc: Y.Doc,
  layout: NodeId,
  fn: (ctx: { res: Resolution; at: number; state: ReturnType<typeof readMergeState> }) => void,
): void {
  doc.transact(() => {
    seedLayout(doc, layout);
    fn({ res: resolveSeeded(doc), at: nextClock(doc), state: readMergeState(doc) });
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

/**
 * Adds a new track on a strip, even when the layout has a track of that name already (a session
 * may have two "Vox"); whatever was on the strip goes to the palette. Returns its id.
 */
export function addTrackOnStrip(doc: Y.Doc, layout: NodeId, slot: number, name: string, ed: Editor): string {
  checkSlot(slot);
  let id = '';
  operate(doc, layout, ({ res, at, state }) => {
    const there = inLayout(res, layout).find((t) => t.strip === slot);
    if (there) writeStrip(doc, state, there.id, null, slot, at, ed);
    id = writeTrack(doc, layout, at, ed);
    writeName(doc, state, id, name, at, ed);
    writeStrip(doc, state, id, slot, null, at, ed);
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
