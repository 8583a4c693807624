/**
 * The pure half of layout merging (docs/merge.md): from the merge registers of a layout document
 * (layout-tracks.ts) to where every track sits and which intents lost. Every peer holding the
 * same registers computes the same answer, so the layout and the conflict list converge with the
 * Y.Doc, whatever order updates arrived in.
 *
 * A register (a track's strip, a track's name) holds one entry per device; the entry with the
 * highest (at, client) wins, where `at` is a Lamport clock. An entry another device did not see
 * when it wrote (its `at` is above the writer's `base`) and that differs from the winner is a
 * lost intent. Two tracks winning the same strip: the later move (higher at, client) keeps the
 * strip; the other goes back to the strip it came from if that is free, else to the palette.
 */

/** One device's latest write to a register. `c` is the Y.Doc clientID (settlements add 0.5). */
export interface RegisterEntry<V> {
  v: V;
  at: number;
  c: number;
  /** The highest `at` of this register the writer had seen (what it meant to overwrite). */
  base: number;
  /** Who wrote it (a person's display name). */
  who: string;
  /** Wall-clock ms when written (for the history only; never decides anything). */
  t: number;
  /** For strip entries: the strip the track was on when this was written (null: the palette). */
  from?: number | null;
}

export interface TrackRecord {
  layout: string;
  /** Lamport time of creation and who created it. */
  at: number;
  who: string;
}

export interface RemovalRecord {
  at: number;
  base: number;
  who: string;
  t: number;
}

/** The registers of one document, already grouped by track. */
export interface MergeState {
  tracks: Map<string, TrackRecord>;
  strips: Map<string, Array<RegisterEntry<number | null>>>;
  names: Map<string, Array<RegisterEntry<string>>>;
  deleted: Map<string, RemovalRecord>;
  layoutsRemoved: Map<string, RemovalRecord>;
  /** The track ids sorted, when known (a cache the owner of the maps drops when `tracks` changes). */
  sortedIds?: string[];
}

export type LostIntentKind = 'strip-taken' | 'same-track' | 'rename' | 'layout-removed';

/** A person's intent that lost to another's, with where the loser ended. Same on every peer. */
export interface LostIntent {
  /** Deterministic: the losing entry's track, device and clock. */
  id: string;
  kind: LostIntentKind;
  layout: string;
  track: string;
  /** The track's name as resolved (for messages). */
  trackName: string;
  loser: { who: string; strip: number | null; name?: string };
  winner: { who: string; track?: string; trackName?: string; strip: number | null; name?: string };
  /** Where the loser's track ended (strip-taken only): a strip, or null for the palette. */
  to?: number | null;
  /** Wall-clock time of the later of the two writes. */
  t: number;
}

export interface ResolvedTrack {
  id: string;
  layout: string;
  name: string;
  strip: number | null;
}

export interface Resolution {
  /** Live tracks (not deleted, layout not removed), sorted by id. */
  tracks: ResolvedTrack[];
  lost: LostIntent[];
  /** Tracks displaced from a strip they won in their own register: their settled place. */
  settle: Array<{ track: string; loser: RegisterEntry<number | null>; to: number | null }>;
}

const later = <V>(a: RegisterEntry<V>, b: RegisterEntry<V>) => (a.at !== b.at ? a.at > b.at : a.c > b.c);

export function winnerOf<V>(entries: Array<RegisterEntry<V>> | undefined): RegisterEntry<V> | null {
  let best: RegisterEntry<V> | null = null;
  for (const e of entries ?? []) if (!best || later(e, best)) best = e;
  return best;
}

/** Entries the winner's writer had not seen and that wanted something else. */
function unseenLosers<V>(entries: Array<RegisterEntry<V>>, winner: RegisterEntry<V>): Array<RegisterEntry<V>> {
  return entries.filter(
    (e) => e !== winner && e.at > winner.base && e.v !== winner.v && e.c % 1 === 0 && winner.c % 1 === 0,
  );
}

/** A register's winner and unseen losers, computed once per entries array (they are replaced, not changed). */
const analysed = new WeakMap<object, { win: RegisterEntry<unknown> | null; losers: Array<RegisterEntry<unknown>> }>();
function analyse<V>(entries: Array<RegisterEntry<V>> | undefined): {
  win: RegisterEntry<V> | null;
  losers: Array<RegisterEntry<V>>;
} {
  if (!entries) return { win: null, losers: [] };
  let a = analysed.get(entries);
  if (!a) {
    const win = winnerOf(entries as Array<RegisterEntry<unknown>>);
    a = { win, losers: win ? unseenLosers(entries as Array<RegisterEntry<unknown>>, win) : [] };
    analysed.set(entries, a);
  }
  return a as { win: RegisterEntry<V> | null; losers: Array<RegisterEntry<V>> };
}

const ownLost = new WeakMap<object, { names: unknown; rec: TrackRecord; list: LostIntent[] }>();

/** Where every track sits and what intents lost; `layouts` are the layouts still in the XML. */
export function resolveLayouts(state: MergeState, layouts: ReadonlySet<string>): Resolution {
  const lost: LostIntent[] = [];
  const settle: Resolution['settle'] = [];
  const live: Array<{
    id: string;
    rec: TrackRecord;
    strip: RegisterEntry<number | null> | null;
    name: string;
    nameWho: string;
  }> = [];
  const ids = (state.sortedIds ??= [...state.tracks.keys()].sort());
  for (const id of ids) {
    if (state.deleted.has(id)) continue;
    const rec = state.tracks.get(id)!;
    const { win: nameWin, losers: nameLosers } = analyse(state.names.get(id));
    const name = nameWin?.v ?? '';
    const strips = state.strips.get(id) ?? [];
    const { win: stripWin, losers: stripLosers } = analyse(strips);
    const removed = state.layoutsRemoved.get(rec.layout);
    if (removed || !layouts.has(rec.layout)) {
      // Moves the remover had not seen are reported; the track goes with its layout.
      if (removed) {
        for (const e of strips) {
          if (e.at > removed.base && e.c % 1 === 0) {
            lost.push({
              id: `${id}@${e.c}.${e.at}`,
              kind: 'layout-removed',
              layout: rec.layout,
              track: id,
              trackName: name,
              loser: { who: e.who, strip: e.v },
              winner: { who: removed.who, strip: null },
              t: Math.max(e.t, removed.t),
            });
          }
        }
      }
      continue;
    }
    // A track's own lost intents (rename, same-track) depend on its registers only: built once
    // per registers (they are replaced, not changed), the same objects every resolve.
    const namesArr = state.names.get(id);
    let own = strips.length ? ownLost.get(strips) : undefined;
    if (!own || own.names !== namesArr || own.rec !== rec) {
      const list: LostIntent[] = [];
      if (nameWin) {
        for (const e of nameLosers) {
          list.push({
            id: `${id}@${e.c}.${e.at}`,
            kind: 'rename',
            layout: rec.layout,
            track: id,
            trackName: name,
            loser: { who: e.who, strip: null, name: e.v },
            winner: { who: nameWin.who, strip: null, name: nameWin.v },
            t: Math.max(e.t, nameWin.t),
          });
        }
      }
      if (stripWin) {
        for (const e of stripLosers) {
          list.push({
            id: `${id}@${e.c}.${e.at}`,
            kind: 'same-track',
            layout: rec.layout,
            track: id,
            trackName: name,
            loser: { who: e.who, strip: e.v },
            winner: { who: stripWin.who, strip: stripWin.v },
            t: Math.max(e.t, stripWin.t),
          });
        }
      }
      own = { names: namesArr, rec, list };
      if (strips.length) ownLost.set(strips, own);
    }
    for (const l of own.list) lost.push(l);
    live.push({ id, rec, strip: stripWin, name, nameWho: nameWin?.who ?? rec.who });
  }

  // Claims per (layout, strip); the later move keeps a contested strip.
  const claims = new Map<string, typeof live>();
  const firstClaim = new Map<string, (typeof live)[number]>();
  // Claim keys: a layout's number and the slot (strings built once per layout, not per track).
  const layoutKey = new Map<string, string>();
  const keyOf = (layout: string, slot: number | null) => {
    let k = layoutKey.get(layout);
    if (k === undefined) layoutKey.set(layout, (k = `${layoutKey.size}:`));
    return k + String(slot);
  };
  for (const t of live) {
    const slot = t.strip?.v;
    if (slot === null || slot === undefined) continue;
    const key = keyOf(t.rec.layout, slot);
    const first = firstClaim.get(key);
    if (!first) firstClaim.set(key, t);
    else {
      const list = claims.get(key);
      if (list) list.push(t);
      else claims.set(key, [first, t]);
    }
  }
  const placed = new Map<string, number | null>(live.map((t) => [t.id, t.strip?.v ?? null]));
  const losers: Array<{ t: (typeof live)[number]; winner: (typeof live)[number] }> = [];
  for (const list of claims.values()) {
    if (list.length < 2) continue;
    let win = list[0]!;
    for (const t of list) if (later(t.strip!, win.strip!)) win = t;
    for (const t of list) if (t !== win) losers.push({ t, winner: win });
  }
  // Losers in a fixed order (latest first) take their previous strip if nobody holds it.
  losers.sort((a, b) =>
    later(a.t.strip!, b.t.strip!) ? -1 : later(b.t.strip!, a.t.strip!) ? 1 : a.t.id < b.t.id ? -1 : 1,
  );
  const taken = new Set<string>(firstClaim.keys());
  for (const { t, winner } of losers) {
    const e = t.strip!;
    const back = e.from ?? null;
    const key = keyOf(t.rec.layout, back);
    const to = back !== null && !taken.has(key) ? back : null;
    if (to !== null) taken.add(key);
    placed.set(t.id, to);
    settle.push({ track: t.id, loser: e, to });
    lost.push({
      id: `${t.id}@${Math.floor(e.c)}.${e.at}`,
      kind: 'strip-taken',
      layout: t.rec.layout,
      track: t.id,
      trackName: t.name,
      loser: { who: e.who, strip: e.v },
      winner: { who: winner.strip!.who, track: winner.id, trackName: winner.name, strip: winner.strip!.v },
      to,
      t: Math.max(e.t, winner.strip!.t),
    });
  }
  lost.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    tracks: live.map((t) => ({ id: t.id, layout: t.rec.layout, name: t.name, strip: placed.get(t.id) ?? null })),
    lost,
    settle,
  };
}

/** A sentence for a lost intent, e.g. "Kick went back to the palette: Bob put BV on strip 20". */
export function describeLostIntent(l: LostIntent): string {
  switch (l.kind) {
    case 'strip-taken': {
      const where = l.to === null || l.to === undefined ? 'went back to the palette' : `went back to strip ${l.to}`;
      return `${l.trackName} ${where}: ${l.winner.who} put ${l.winner.trackName} on strip ${l.winner.strip} (${l.loser.who} had put ${l.trackName} there)`;
    }
    case 'same-track': {
      const w = l.winner.strip === null ? 'in the palette' : `on strip ${l.winner.strip}`;
      const lo = l.loser.strip === null ? 'in the palette' : `on strip ${l.loser.strip}`;
      return `${l.trackName} stays ${w} (${l.winner.who}); ${l.loser.who} had put it ${lo}`;
    }
    case 'rename':
      return `Track named "${l.winner.name}" (${l.winner.who}); ${l.loser.who}'s name "${l.loser.name}" was not kept`;
    case 'layout-removed':
      return `${l.winner.who} removed the layout; ${l.loser.who}'s move of ${l.trackName} went with it`;
  }
}
