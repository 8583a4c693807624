/**
 * What the layout XML shows, kept without re-reading it: per layout, its strips (element, slot,
 * track) in document order, and the set of layouts. Reconciling (layout-merge.ts) compares the
 * resolution with this view and writes only the strips that differ, so applying a remote edit
 * reads and writes what it changed, not the 256 strips of the layout (bench:merge).
 *
 * Kept current from the XML edit keys each transaction changed (before observers run, and inside
 * a transaction from the keys changed so far): a changed `track` or `slot` attribute re-reads that
 * strip; anything that adds, moves or removes nodes drops the view, to be read again when needed.
 */
import * as Y from 'yjs';
import { childElements, importedAttribute, rootElement, type NodeId } from '../xml/index.ts';
import { readStrip, type LayoutStrip } from './layout.ts';

interface View {
  edits: Y.Map<unknown> | null;
  layouts: Set<NodeId> | null;
  strips: Map<NodeId, LayoutStrip[]>;
  /** Strip element -> its row in `strips`. */
  rows: Map<NodeId, LayoutStrip>;
  /** Strips whose attributes changed since they were read. */
  stale: Set<NodeId>;
}

const views = new WeakMap<Y.Doc, View>();

const editsOf = (doc: Y.Doc): Y.Map<unknown> | null => {
  const e = doc.getMap('xml').get('edits');
  return e instanceof Y.Map ? (e as Y.Map<unknown>) : null;
};

function drop(v: View): void {
  v.layouts = null;
  v.strips.clear();
  v.rows.clear();
  v.stale.clear();
}

/**
 * Takes in changed edit keys: strips to re-read (later: before observers run, the XML model may
 * not have taken the change in yet), or the whole view dropped on a structural change.
 */
function applyKeys(v: View, keys: Iterable<string | null>): void {
  for (const key of keys) {
    if (key === null) continue;
    const bar = key.indexOf('|');
    const tag = key[bar + 1];
    if (tag === 'a') {
      const name = key.slice(bar + 3);
      if (name === 'track' || name === 'slot') v.stale.add(key.slice(0, bar));
    } else if (tag === 'n' || tag === 'x' || tag === 'p') drop(v);
  }
}

/**
 * An attribute's value from its edit record, else from the imported source: what the XML model
 * answers, read without rebuilding the model's index of every edit.
 */
function attributeNow(doc: Y.Doc, edits: Y.Map<unknown>, id: NodeId, name: string): string | null {
  const e = edits.get(`${id}|a|${name}`) as { v?: string; d?: 1 } | undefined;
  if (e?.d) return null;
  return e?.v ?? importedAttribute(doc, id, name);
}

function viewOf(doc: Y.Doc): View {
  const edits = editsOf(doc);
  let v = views.get(doc);
  if (!v) {
    const fresh: View = { edits, layouts: null, strips: new Map(), rows: new Map(), stale: new Set() };
    views.set(doc, (v = fresh));
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
      const e = fresh.edits;
      const keys = e && tr.changed.get(e as never);
      if (keys) applyKeys(fresh, keys);
    });
  }
  if (v.edits !== edits) {
    v.edits = edits;
    drop(v);
  } else if (edits) {
    const keys = doc._transaction?.changed.get(edits as never);
    if (keys) applyKeys(v, keys);
  }
  for (const id of v.stale) {
    const row = v.rows.get(id);
    if (!row || !edits) continue;
    const raw = attributeNow(doc, edits, id, 'slot');
    row.slot = raw !== null && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    row.track = attributeNow(doc, edits, id, 'track') || null;
  }
  v.stale.clear();
  return v;
}

/** Layout elements present in the XML. */
export function viewLayouts(doc: Y.Doc): Set<NodeId> {
  const v = viewOf(doc);
  return (v.layouts ??= new Set(childElements(doc, rootElement(doc), 'Layout')));
}

/** A layout's strips as the XML shows them, in document order (cached; update via setRow). */
export function viewStrips(doc: Y.Doc, layout: NodeId): LayoutStrip[] {
  const v = viewOf(doc);
  let rows = v.strips.get(layout);
  if (!rows) {
    rows = childElements(doc, layout, 'Strip').map((s) => readStrip(doc, s));
    v.strips.set(layout, rows);
    for (const r of rows) v.rows.set(r.id, r);
  }
  return rows;
}

/** The strip elements whose `track` attribute a transaction changed. */
export function changedStripTracks(doc: Y.Doc, tr: Y.Transaction): NodeId[] {
  const edits = editsOf(doc);
  const keys = edits && tr.changed.get(edits as never);
  if (!keys) return [];
  const out: NodeId[] = [];
  for (const key of keys) {
    if (key === null || !key.endsWith('|a|track')) continue;
    out.push(key.slice(0, key.indexOf('|')));
  }
  return out;
}
