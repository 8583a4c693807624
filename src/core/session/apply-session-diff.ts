/**
 * Applies "Check a layout against a session" to a layout document, as one transaction (one
 * undoable edit when `origin` is the editor's tracked origin). It goes through the layout
 * intents (docs/merge.md), so concurrent edits merge as any other layout edit:
 * - a renamed track gets its new name and stays where it is (strip or palette);
 * - a removed track goes to the palette: nothing silently disappears, and deleting it for good
 *   stays an explicit act of the engineer;
 * - a new track takes the first free strip of the layout (a Strip element with no track, or one
 *   a removed track just left), in session order; when none is free it goes to the palette.
 * The diff is re-read against the document as it is now, so a track changed or deleted by a
 * collaborator since the check was shown is left alone.
 */
import type * as Y from 'yjs';
import {
  addPaletteTrack,
  addTrackOnStrip,
  clearStrip,
  layoutTracks,
  readLayouts,
  renameTrack,
  MAX_STRIP,
  type Editor,
} from '../console/index.ts';
import type { DiffLayoutTrack, SessionDiff } from './session-diff.ts';

/** A layout's tracks as the diff reads them: by strip, then the palette (in name order). */
export function layoutTracksForDiff(doc: Y.Doc, layout: string): DiffLayoutTrack[] {
  const { onStrip, unassigned } = layoutTracks(doc, layout);
  const strips = [...onStrip.values()].sort((a, b) => (a.strip ?? 0) - (b.strip ?? 0));
  const palette = [...unassigned].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return [...strips, ...palette].map((t) => ({ id: t.id, name: t.name, strip: t.strip }));
}

/**
 * The session track names a check of `layout` compares with. A long session is spread over
 * several layouts of one document ("Layouts from session…": 1-16, 17-32, …), so a track that
 * sits on another layout of the document is not new to this one: it is left out, unless this
 * layout has a track of that name too (then it pairs up here as usual).
 */
export function sessionNamesForLayout(doc: Y.Doc, layout: string, session: readonly string[]): string[] {
  const here = new Set(layoutTracksForDiff(doc, layout).map((t) => t.name));
  const elsewhere = new Set<string>();
  for (const other of readLayouts(doc)) {
    if (other.id === layout) continue;
    for (const t of layoutTracksForDiff(doc, other.id)) elsewhere.add(t.name);
  }
  return session.filter((name) => here.has(name) || !elsewhere.has(name));
}

/** Where the new tracks went: strip numbers, and names left in the palette for lack of one. */
export interface AppliedSessionDiff {
  placed: Array<{ name: string; strip: number }>;
  unassigned: string[];
}

export function applySessionDiff(
  doc: Y.Doc,
  layout: string,
  diff: SessionDiff,
  ed: Editor,
  origin: unknown = null,
): AppliedSessionDiff {
  const out: AppliedSessionDiff = { placed: [], unassigned: [] };
  doc.transact(() => {
    const now = () => new Map(layoutTracksForDiff(doc, layout).map((t) => [t.id, t]));
    let current = now();
    for (const r of diff.renamed) {
      const t = current.get(r.id);
      if (t && t.name === r.from) renameTrack(doc, layout, r.id, r.to, ed);
    }
    current = now();
    for (const r of diff.removed) {
      const t = current.get(r.id);
      if (t && t.name === r.name && t.strip !== null) clearStrip(doc, layout, t.strip, ed);
    }
    const taken = new Set([...layoutTracks(doc, layout).onStrip.keys()]);
    const view = readLayouts(doc).find((l) => l.id === layout);
    const free = [...new Set(view?.strips.map((s) => s.slot) ?? [])]
      .filter((slot) => Number.isInteger(slot) && slot >= 1 && slot <= MAX_STRIP && !taken.has(slot))
      .sort((a, b) => a - b);
    for (const a of diff.added) {
      const slot = free.shift();
      if (slot === undefined) {
        addPaletteTrack(doc, layout, a.name, ed);
        out.unassigned.push(a.name);
      } else {
        addTrackOnStrip(doc, layout, slot, a.name, ed);
        out.placed.push({ name: a.name, strip: slot });
      }
    }
  }, origin);
  return out;
}
