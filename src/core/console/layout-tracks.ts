/**
 * Tracks as entities in a layout document (docs/merge.md). A track has an id and lives in one
 * layout; where it sits (a strip, or the palette) and its name are registers, one entry per
 * device, in a top-level Y.Map beside the XML model. The layout XML is then written from the
 * resolved registers (layout-reconcile.ts), so the file format (docs/layout-format.md) does not
 * change and a layout nobody edited exports byte for byte as imported.
 *
 * Keys of the map (plain values only, so two devices writing one key converge by last writer):
 *   `L|${layout}`            1                    the layout's tracks are in the registers
 *   `t|${track}`             TrackRecord          the track exists (written once by its creator)
 *   `s|${track}|${client}`   RegisterEntry        that device's latest placement of the track
 *   `s|${track}|settle`      RegisterEntry        where a merge put the track after it lost a strip
 *   `n|${track}|${client}`   RegisterEntry        that device's latest name for the track
 *   `d|${track}`             RemovalRecord        the track was deleted
 *   `x|${layout}`            RemovalRecord        the layout was removed
 *   `c|${id}`                LostIntent           a lost intent, for the history (never removed)
 *
 * Register entries are stored compactly as [v, at, base, t, who, from, c?] (the device is in the
 * key; `c` only for settlements). A write deletes the entries of that register its writer had
 * seen, so a register holds one entry per write nobody has seen past yet: the document grows
 * with the tracks, not with the number of devices or edits (bench:merge).
 */
import * as Y from 'yjs';
import { childElements, getAttribute, rootElement, type NodeId } from '../xml/index.ts';
import type { LostIntent, MergeState, RegisterEntry, RemovalRecord, TrackRecord } from './layout-resolve.ts';

export const LAYOUT_MERGE_KEY = 'layout-merge';

export function mergeMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(LAYOUT_MERGE_KEY);
}

/** Who edits and when: passed by the editor, so core code reads no clock of its own. */
export interface Editor {
  who: string;
  now: number;
}

/** Groups the map's registers by track (ignores anything it does not understand). */
export function readMergeState(doc: Y.Doc, extra: Array<[string, unknown]> = []): MergeState {
  const state: MergeState = {
    tracks: new Map(),
    strips: new Map(),
    names: new Map(),
    deleted: new Map(),
    layoutsRemoved: new Map(),
  };
  for (const [key, value] of [...mergeMap(doc).entries(), ...extra]) {
    if (typeof value !== 'object' || value === null) continue;
    const kind = key[0];
    const rest = key.slice(2);
    if (kind === 't') state.tracks.set(rest, value as TrackRecord);
    else if (kind === 'd') state.deleted.set(rest, value as RemovalRecord);
    else if (kind === 'x') state.layoutsRemoved.set(rest, value as RemovalRecord);
    else if ((kind === 's' || kind === 'n') && Array.isArray(value)) {
      const bar = rest.lastIndexOf('|');
      const track = rest.slice(0, bar);
      const entry = decodeEntry(value, rest.slice(bar + 1), key);
      const target = (kind === 's' ? state.strips : state.names) as Map<string, Array<RegisterEntry<unknown>>>;
      const list = target.get(track);
      if (list) list.push(entry);
      else target.set(track, [entry]);
    }
  }
  return state;
}

type StoredEntry = [v: unknown, at: number, base: number, t: number, who: string, from: number | null, c?: number];

export function encodeEntry(e: RegisterEntry<unknown>, settle = false): StoredEntry {
  return settle
    ? [e.v, e.at, e.base, e.t, e.who, e.from ?? null, e.c]
    : [e.v, e.at, e.base, e.t, e.who, e.from ?? null];
}

function decodeEntry(a: unknown[], device: string, key: string): RegisterEntry<unknown> & { key: string } {
  return {
    v: a[0],
    at: a[1] as number,
    base: a[2] as number,
    t: a[3] as number,
    who: a[4] as string,
    from: a[5] as number | null,
    c: a.length > 6 ? (a[6] as number) : Number(device),
    key,
  };
}

/** The next Lamport time: one above every time this device has seen. */
export function nextClock(doc: Y.Doc): number {
  let max = 0;
  for (const value of mergeMap(doc).values()) {
    const at = Array.isArray(value) ? value[1] : (value as { at?: unknown } | null)?.at;
    if (typeof at === 'number' && at > max) max = at;
  }
  return max + 1;
}

/** A seeded track's id: the same on every device that seeds the same strip. */
export const seedTrackId = (layout: NodeId, element: NodeId) => `${layout}~${element}`;

/** Whether a layout's tracks are kept in the registers yet. */
export function isSeeded(doc: Y.Doc, layout: NodeId): boolean {
  return mergeMap(doc).has(`L|${layout}`);
}

/**
 * Puts a layout's tracks into the registers, as they stand in the XML, the first time anyone
 * edits it. Deterministic (ids and values from the XML only), so two devices seeding at once
 * write the same entries. The first strip of a slot wins; a duplicate's track goes to the palette.
 */
export function seedLayout(doc: Y.Doc, layout: NodeId): void {
  const map = mergeMap(doc);
  if (map.has(`L|${layout}`)) return;
  for (const [key, value] of seedEntries(doc, layout)) map.set(key, value);
  map.set(`L|${layout}`, 1);
}

/** The registers seeding would write for a layout (also used to read an unseeded layout). */
export function seedEntries(doc: Y.Doc, layout: NodeId): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const seen = new Set<number>();
  for (const s of childElements(doc, layout, 'Strip')) {
    const track = getAttribute(doc, s, 'track');
    if (!track) continue;
    const raw = getAttribute(doc, s, 'slot');
    const slot = raw !== null && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    const onStrip = Number.isInteger(slot) && slot >= 1 && slot <= 256 && !seen.has(slot) ? slot : null;
    if (onStrip !== null) seen.add(onStrip);
    const id = seedTrackId(layout, s);
    const base = { at: 0, c: 0, base: 0, who: '', t: 0 };
    out.push([`t|${id}`, { layout, at: 0, who: '' } satisfies TrackRecord]);
    out.push([`s|${id}|0`, encodeEntry({ ...base, v: onStrip, from: null })]);
    out.push([`n|${id}|0`, encodeEntry({ ...base, v: track })]);
  }
  return out;
}

/** The layouts whose tracks are in the registers. */
export function seededLayouts(doc: Y.Doc): Set<NodeId> {
  const out = new Set<NodeId>();
  for (const key of mergeMap(doc).keys()) if (key.startsWith('L|')) out.add(key.slice(2));
  return out;
}

/** Layout elements present in the XML. */
export function layoutIds(doc: Y.Doc): Set<NodeId> {
  return new Set(childElements(doc, rootElement(doc), 'Layout'));
}

function maxAt(entries: Array<{ at: number }> | undefined): number {
  let m = 0;
  for (const e of entries ?? []) if (e.at > m) m = e.at;
  return m;
}

/** Writes this device's entry of a register, dropping the entries it supersedes (all it has seen). */
function writeRegister(
  doc: Y.Doc,
  kind: 's' | 'n',
  seen: Array<RegisterEntry<unknown>> | undefined,
  track: string,
  entry: RegisterEntry<unknown>,
): void {
  const map = mergeMap(doc);
  const own = `${kind}|${track}|${doc.clientID}`;
  for (const e of seen ?? []) {
    const key = (e as { key?: string }).key;
    if (key && key !== own) map.delete(key);
  }
  map.set(own, encodeEntry(entry));
}

/** Writes this device's entry of a track's strip register. */
export function writeStrip(
  doc: Y.Doc,
  state: MergeState,
  track: string,
  strip: number | null,
  from: number | null,
  at: number,
  ed: Editor,
): void {
  const seen = state.strips.get(track);
  writeRegister(doc, 's', seen, track, {
    v: strip,
    from,
    at,
    c: doc.clientID,
    base: maxAt(seen),
    who: ed.who,
    t: ed.now,
  });
}

export function writeName(doc: Y.Doc, state: MergeState, track: string, name: string, at: number, ed: Editor): void {
  const seen = state.names.get(track);
  writeRegister(doc, 'n', seen, track, { v: name, at, c: doc.clientID, base: maxAt(seen), who: ed.who, t: ed.now });
}

export function writeTrack(doc: Y.Doc, layout: NodeId, at: number, ed: Editor): string {
  const id = `${doc.clientID.toString(36)}.${Y.getState(doc.store, doc.clientID).toString(36)}`;
  mergeMap(doc).set(`t|${id}`, { layout, at, who: ed.who } satisfies TrackRecord);
  return id;
}

export function writeTrackDeleted(doc: Y.Doc, state: MergeState, track: string, at: number, ed: Editor): void {
  mergeMap(doc).set(`d|${track}`, {
    at,
    base: maxAt(state.strips.get(track)),
    who: ed.who,
    t: ed.now,
  } satisfies RemovalRecord);
}

export function writeLayoutRemoved(doc: Y.Doc, layout: NodeId, at: number, ed: Editor): void {
  mergeMap(doc).set(`x|${layout}`, { at, base: at - 1, who: ed.who, t: ed.now } satisfies RemovalRecord);
}

/** The lost intents recorded so far (the history), oldest first. */
export function recordedLostIntents(doc: Y.Doc): LostIntent[] {
  const out: LostIntent[] = [];
  for (const [key, value] of mergeMap(doc).entries()) if (key.startsWith('c|')) out.push(value as LostIntent);
  return out.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
}
