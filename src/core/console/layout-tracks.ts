/**
 * Tracks as entities in a layout document (docs/merge.md). A track has an id and lives in one
 * layout; where it sits (a strip, or the palette) and its name are registers, one entry per
 * device, in a top-level Y.Map beside the XML model. The layout XML is then written from the
 * resolved registers (layout-reconcile.ts), so the file format (docs/layout-format.md) does not
 * change and a layout nobody edited exports byte for byte as imported.
 *
 * Keys of the map (plain values only, so two devices writing one key converge by last writer):
 *   `L|${layout}`            1                    the layout's tracks are in the registers
 *   `t|${track}`             [layout, at, who]    the track exists (written once by its creator)
 *   `s|${track}|${client}`   RegisterEntry        that device's latest placement of the track
 *   `s|${track}|settle`      RegisterEntry        where a merge put the track after it lost a strip
 *   `n|${track}|${client}`   RegisterEntry        that device's latest name for the track
 *   `d|${track}`             RemovalRecord        the track was deleted
 *   `x|${layout}`            RemovalRecord        the layout was removed
 *   `c|${id}`                compact LostIntent   a lost intent, for the history (never removed)
 *
 * A layout's tracks as imported are not stored: their first entries (`t|`, `s|…|0`, `n|…|0`, at
 * time 0) are derived from the imported source, which is immutable and the same on every replica.
 * Seeding stores only where the XML already differed from the source when the layout was first
 * edited (an override under the same key, or a `d|` for a track gone by then).
 *
 * Register entries are stored compactly as [v, at, base, t, who, from, c?] (the device is in the
 * key; `c` only for settlements). A write deletes the entries of that register its writer had
 * seen, so a register holds one entry per write nobody has seen past yet: the document grows
 * with the tracks that moved, not with the number of devices or edits (bench:merge).
 *
 * Reading is incremental: each Y.Doc has a cache of the decoded registers, updated from the keys
 * a transaction changed (before observers run, and inside a transaction from the keys changed so
 * far), so an edit or a remote update costs what it changed, not the size of the layout.
 */
import * as Y from 'yjs';
import { childElements, getAttribute, importedAttribute, importedChildElements, type NodeId } from '../xml/index.ts';
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

type StoredEntry = [v: unknown, at: number, base: number, t: number, who: string, from: number | null, c?: number];
type Entry = RegisterEntry<unknown> & { key?: string };

export function encodeEntry(e: RegisterEntry<unknown>, settle = false): StoredEntry {
  return settle
    ? [e.v, e.at, e.base, e.t, e.who, e.from ?? null, e.c]
    : [e.v, e.at, e.base, e.t, e.who, e.from ?? null];
}

function decodeEntry(a: unknown[], device: string, key: string): Entry {
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

function decodeTrack(value: unknown): TrackRecord | null {
  if (Array.isArray(value)) return { layout: String(value[0]), at: Number(value[1]), who: String(value[2] ?? '') };
  if (typeof value === 'object' && value !== null && 'layout' in value) return value as TrackRecord;
  return null;
}

/** A layout's tracks as the imported source has them: the implicit first entries (time 0). */
interface Seed {
  id: string;
  layout: NodeId;
  strip: number | null;
  name: string;
}

const SEED_ENTRY = { at: 0, c: 0, base: 0, who: '', t: 0 };
const SEED_TRACK = (layout: NodeId): TrackRecord => ({ layout, at: 0, who: '' });

/**
 * The decoded registers of one Y.Doc, kept up to date from the keys each transaction changed.
 * `state` groups them by track as resolveLayouts reads them; `version` changes with every change.
 */
interface Cache {
  map: Y.Map<unknown>;
  source: unknown;
  stored: {
    tracks: Map<string, TrackRecord>;
    strips: Map<string, Map<string, Entry>>;
    names: Map<string, Map<string, Entry>>;
  };
  seeds: Map<string, Seed>;
  seeded: Set<NodeId>;
  state: MergeState;
  maxAt: number;
  version: number;
  /** The value each key had when last taken in. */
  applied: Map<string, unknown>;
}

const caches = new WeakMap<Y.Doc, Cache>();

/** Where a track's implicit (seed) entries come from, if its layout is seeded. */
function seedOf(c: Cache, track: string): Seed | undefined {
  const s = c.seeds.get(track);
  return s && c.seeded.has(s.layout) ? s : undefined;
}

function regroup(c: Cache, track: string): void {
  const seed = seedOf(c, track);
  const record = c.stored.tracks.get(track) ?? (seed ? SEED_TRACK(seed.layout) : undefined);
  if (record !== undefined) {
    if (!c.state.tracks.has(track)) c.state.sortedIds = undefined;
    c.state.tracks.set(track, record);
  } else if (c.state.tracks.delete(track)) c.state.sortedIds = undefined;
  for (const [kind, target] of [
    ['s', c.state.strips],
    ['n', c.state.names],
  ] as const) {
    const stored = (kind === 's' ? c.stored.strips : c.stored.names).get(track);
    const list: Entry[] = stored ? [...stored.values()] : [];
    if (seed && !stored?.has(`${kind}|${track}|0`))
      list.push({ ...SEED_ENTRY, v: kind === 's' ? seed.strip : seed.name, from: null });
    if (list.length) (target as Map<string, Entry[]>).set(track, list);
    else target.delete(track);
  }
}

/** Applies one key of the map as it now stands (or its removal) to the cache. */
function applyKey(c: Cache, key: string): void {
  const value = c.map.get(key);
  // Y.Map hands back the stored value itself: the same one means nothing to do (a key changed
  // earlier in this transaction and read again, or taken in before observers and again after).
  if (c.applied.has(key) && c.applied.get(key) === value) return;
  c.applied.set(key, value);
  const kind = key[0];
  const rest = key.slice(2);
  c.version++;
  if (kind === 'L') {
    // Restoring a version clears the registers: the layout is read from its XML again.
    if (value === undefined) c.seeded.delete(rest);
    else c.seeded.add(rest);
    for (const s of c.seeds.values()) if (s.layout === rest) regroup(c, s.id);
  } else if (kind === 't') {
    const rec = decodeTrack(value);
    if (rec) c.stored.tracks.set(rest, rec);
    else c.stored.tracks.delete(rest);
    if (rec && rec.at > c.maxAt) c.maxAt = rec.at;
    regroup(c, rest);
  } else if (kind === 'd' || kind === 'x') {
    const target = kind === 'd' ? c.state.deleted : c.state.layoutsRemoved;
    if (typeof value === 'object' && value !== null) {
      const rec = value as RemovalRecord;
      target.set(rest, rec);
      if (rec.at > c.maxAt) c.maxAt = rec.at;
    } else target.delete(rest);
  } else if (kind === 's' || kind === 'n') {
    const bar = rest.lastIndexOf('|');
    const track = rest.slice(0, bar);
    const store = kind === 's' ? c.stored.strips : c.stored.names;
    let m = store.get(track);
    if (Array.isArray(value)) {
      const entry = decodeEntry(value, rest.slice(bar + 1), key);
      if (!m) store.set(track, (m = new Map()));
      m.set(key, entry);
      if (entry.at > c.maxAt) c.maxAt = entry.at;
    } else if (m) {
      m.delete(key);
      if (m.size === 0) store.delete(track);
    }
    regroup(c, track);
  }
}

/** The seeds of every layout of the imported source (ids from the strip elements). */
function sourceSeeds(doc: Y.Doc): Map<string, Seed> {
  const out = new Map<string, Seed>();
  let layouts: NodeId[];
  try {
    const root = importedChildElements(doc, '0').find(() => true);
    layouts = root === undefined ? [] : importedChildElements(doc, root, 'Layout');
  } catch {
    return out;
  }
  for (const layout of layouts) {
    const seen = new Set<number>();
    for (const s of importedChildElements(doc, layout, 'Strip')) {
      const track = importedAttribute(doc, s, 'track');
      if (!track) continue;
      const strip = seedSlot(importedAttribute(doc, s, 'slot'), seen);
      const id = seedTrackId(layout, s);
      out.set(id, { id, layout, strip, name: track });
    }
  }
  return out;
}

/** A strip's slot for seeding: the first strip of a valid slot holds it, a duplicate none. */
function seedSlot(raw: string | null, seen: Set<number>): number | null {
  const slot = raw !== null && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  const onStrip = Number.isInteger(slot) && slot >= 1 && slot <= 256 && !seen.has(slot) ? slot : null;
  if (onStrip !== null) seen.add(onStrip);
  return onStrip;
}

function cacheOf(doc: Y.Doc): Cache {
  const map = mergeMap(doc);
  const source = doc.getMap('xml').get('source');
  let c = caches.get(doc);
  if (!c || c.map !== map || c.source !== source) {
    const fresh: Cache = {
      map,
      source,
      stored: { tracks: new Map(), strips: new Map(), names: new Map() },
      seeds: sourceSeeds(doc),
      seeded: new Set(),
      state: { tracks: new Map(), strips: new Map(), names: new Map(), deleted: new Map(), layoutsRemoved: new Map() },
      maxAt: 0,
      version: 0,
      applied: new Map(),
    };
    if (!c) {
      // Before any observer runs, the cache takes in what the transaction changed.
      doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
        const cur = caches.get(doc);
        const keys = cur && tr.changed.get(cur.map as never);
        if (!cur || !keys) return;
        for (const k of keys) {
          if (k === null) continue;
          applyKey(cur, k);
          if (cur.applied.get(k) === undefined) cur.applied.delete(k);
        }
      });
    }
    for (const key of map.keys()) if (key.startsWith('L|')) applyKey(fresh, key);
    for (const key of map.keys()) if (!key.startsWith('L|')) applyKey(fresh, key);
    caches.set(doc, (c = fresh));
    return c;
  }
  // Inside a transaction: take in the keys it changed so far (applying a key twice is harmless).
  const keys = doc._transaction?.changed.get(map as never);
  if (keys) for (const k of keys) if (k !== null) applyKey(c, k);
  return c;
}

/** The registers of the seeded layouts, grouped by track (cached; do not modify). */
export function readMergeState(doc: Y.Doc): MergeState {
  return cacheOf(doc).state;
}

/** Changes whenever the registers change (for caching what is computed from them). */
export function mergeVersion(doc: Y.Doc): number {
  return cacheOf(doc).version;
}

/** The registers plus `extra` entries (keys and stored values as seeding writes them). */
export function withEntries(state: MergeState, extra: Array<[string, unknown]>): MergeState {
  if (extra.length === 0) return state;
  const out: MergeState = {
    tracks: new Map(state.tracks),
    strips: new Map(state.strips),
    names: new Map(state.names),
    deleted: state.deleted,
    layoutsRemoved: state.layoutsRemoved,
  };
  for (const [key, value] of extra) {
    const kind = key[0];
    const rest = key.slice(2);
    if (kind === 't') {
      const rec = decodeTrack(value);
      if (rec) out.tracks.set(rest, rec);
    } else if ((kind === 's' || kind === 'n') && Array.isArray(value)) {
      const bar = rest.lastIndexOf('|');
      const track = rest.slice(0, bar);
      const target = (kind === 's' ? out.strips : out.names) as Map<string, Entry[]>;
      target.set(track, [...(target.get(track) ?? []), decodeEntry(value, rest.slice(bar + 1), key)]);
    }
  }
  return out;
}

/** The next Lamport time: one above every time this device has seen. */
export function nextClock(doc: Y.Doc): number {
  return cacheOf(doc).maxAt + 1;
}

/** A seeded track's id: the same on every device that seeds the same strip. */
export const seedTrackId = (layout: NodeId, element: NodeId) => `${layout}~${element}`;

/** Whether a layout's tracks are kept in the registers yet. */
export function isSeeded(doc: Y.Doc, layout: NodeId): boolean {
  return cacheOf(doc).seeded.has(layout);
}

/**
 * Puts a layout's tracks into the registers, as they stand in the XML, the first time anyone
 * edits it. Deterministic (ids and values from the XML only), so two devices seeding at once
 * write the same entries. Only what differs from the imported source is stored. The first strip
 * of a slot wins; a duplicate's track goes to the palette.
 */
export function seedLayout(doc: Y.Doc, layout: NodeId): void {
  const c = cacheOf(doc);
  if (c.seeded.has(layout)) return;
  const map = mergeMap(doc);
  const current = new Set<string>();
  for (const [key, value] of seedEntries(doc, layout)) {
    const bar = key.indexOf('|', 2);
    const id = key.slice(2, bar < 0 ? undefined : bar);
    current.add(id);
    const seed = c.seeds.get(id);
    if (seed && seed.layout === layout) {
      if (key[0] === 't') continue;
      const v = (value as StoredEntry)[0];
      if (key[0] === 's' && v === seed.strip) continue;
      if (key[0] === 'n' && v === seed.name) continue;
    }
    map.set(key, value);
  }
  for (const seed of c.seeds.values())
    if (seed.layout === layout && !current.has(seed.id))
      map.set(`d|${seed.id}`, { at: 0, base: 0, who: '', t: 0 } satisfies RemovalRecord);
  map.set(`L|${layout}`, 1);
}

/** The registers seeding would write for a layout, from its XML as it stands. */
export function seedEntries(doc: Y.Doc, layout: NodeId): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const seen = new Set<number>();
  for (const s of childElements(doc, layout, 'Strip')) {
    const track = getAttribute(doc, s, 'track');
    if (!track) continue;
    const onStrip = seedSlot(getAttribute(doc, s, 'slot'), seen);
    const id = seedTrackId(layout, s);
    out.push([`t|${id}`, [layout, 0, '']]);
    out.push([`s|${id}|0`, encodeEntry({ ...SEED_ENTRY, v: onStrip, from: null })]);
    out.push([`n|${id}|0`, encodeEntry({ ...SEED_ENTRY, v: track })]);
  }
  return out;
}

/** The layouts whose tracks are in the registers. */
export function seededLayouts(doc: Y.Doc): Set<NodeId> {
  return cacheOf(doc).seeded;
}

function maxAt(entries: Array<{ at: number }> | undefined): number {
  let m = 0;
  for (const e of entries ?? []) if (e.at > m) m = e.at;
  return m;
}

/** Writes this device's entry of a register, dropping the stored entries it supersedes (all it has seen). */
function writeRegister(
  doc: Y.Doc,
  kind: 's' | 'n',
  seen: Entry[] | undefined,
  track: string,
  entry: RegisterEntry<unknown>,
): void {
  const map = mergeMap(doc);
  const own = `${kind}|${track}|${doc.clientID}`;
  for (const e of seen ?? []) if (e.key && e.key !== own) map.delete(e.key);
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
  mergeMap(doc).set(`t|${id}`, [layout, at, ed.who]);
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

const KINDS = ['strip-taken', 'same-track', 'rename', 'layout-removed'] as const;

/** A lost intent as stored: an array, so the field names are not repeated in every record. */
export function encodeLostIntent(l: LostIntent): unknown[] {
  return [
    KINDS.indexOf(l.kind),
    l.id,
    l.layout,
    l.track,
    l.trackName,
    l.loser.who,
    l.loser.strip,
    l.loser.name ?? null,
    l.winner.who,
    l.winner.track ?? null,
    l.winner.trackName ?? null,
    l.winner.strip,
    l.winner.name ?? null,
    l.to === undefined ? -1 : l.to,
    l.t,
  ];
}

function decodeLostIntent(value: unknown): LostIntent | null {
  if (!Array.isArray(value)) return typeof value === 'object' && value !== null ? (value as LostIntent) : null;
  const [k, id, layout, track, trackName, lw, ls, ln, ww, wt, wtn, ws, wn, to, t] = value as [
    number,
    string,
    string,
    string,
    string,
    string,
    number | null,
    string | null,
    string,
    string | null,
    string | null,
    number | null,
    string | null,
    number | null,
    number,
  ];
  const out: LostIntent = {
    id,
    kind: KINDS[k] ?? 'same-track',
    layout,
    track,
    trackName,
    loser: { who: lw, strip: ls, ...(ln !== null ? { name: ln } : {}) },
    winner: {
      who: ww,
      ...(wt !== null ? { track: wt } : {}),
      ...(wtn !== null ? { trackName: wtn } : {}),
      strip: ws,
      ...(wn !== null ? { name: wn } : {}),
    },
    t,
  };
  if (to !== -1) out.to = to;
  return out;
}

/** The lost intents recorded so far (the history), oldest first. */
export function recordedLostIntents(doc: Y.Doc): LostIntent[] {
  const out: LostIntent[] = [];
  for (const [key, value] of mergeMap(doc).entries()) {
    if (!key.startsWith('c|')) continue;
    const l = decodeLostIntent(value);
    if (l) out.push(l);
  }
  return out.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
}
