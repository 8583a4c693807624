/**
 * Soft-key fields (label, colour, icon, command of a key or macro step) edited by several people
 * at once (docs/merge.md). Every peer resolves the same way:
 *   - text fields (label, icon) are Y.Text (field-text.ts): concurrent edits merge character by
 *     character; typing that started from an older value merges into the newer one (text-merge.ts);
 *   - atomic fields (colour, command): each edit is a register entry per device, in the top-level
 *     map 'field-merge': `${element}|${field}|${client}` -> [value, at, base, t, who, was]; the
 *     later edit wins; the other is a conflict shown with the key, which its owner (or anyone)
 *     can take back with one click (a new, later edit).
 * The resolved value is written into the XML (writeField) by whichever peer sees it differ; a
 * local change of the XML itself (undo, a raw edit, a restored version) goes into the text.
 * Lost atomic edits are also recorded under `c|${id}` for the history.
 */
import type * as Y from 'yjs';
import { nodeExists, type NodeId } from '../xml/index.ts';
import { readField, writeField, type KeyField } from './fields.ts';
import { mergeText } from './text-merge.ts';
import { fieldText, fieldTexts, setTextTo } from './field-text.ts';
import type { Editor } from './layout-tracks.ts';

export const FIELD_MERGE_KEY = 'field-merge';
export const TEXT_FIELDS: ReadonlySet<KeyField> = new Set(['label', 'icon']);
export const FIELD_RECONCILE_ORIGIN = { fieldMerge: 'reconcile' };

type Stored = [v: string, at: number, base: number, t: number, who: string, was: string];

interface FieldEntry {
  v: string;
  at: number;
  base: number;
  t: number;
  who: string;
  was: string;
  c: number;
  key: string;
}

/** A concurrent edit of an atomic field that lost; same on every peer. */
export interface FieldConflict {
  id: string;
  element: NodeId;
  field: KeyField;
  kept: { value: string; who: string };
  lost: { value: string; who: string };
  t: number;
}

export function fieldMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(FIELD_MERGE_KEY);
}

function entriesByField(doc: Y.Doc): Map<string, FieldEntry[]> {
  const out = new Map<string, FieldEntry[]>();
  for (const [key, value] of fieldMap(doc).entries()) {
    if (key.startsWith('c|') || !Array.isArray(value)) continue;
    const bar = key.lastIndexOf('|');
    const reg = key.slice(0, bar);
    const [v, at, base, t, who, was] = value as Stored;
    const e: FieldEntry = { v, at, base, t, who, was, c: Number(key.slice(bar + 1)), key };
    const list = out.get(reg);
    if (list) list.push(e);
    else out.set(reg, [e]);
  }
  return out;
}

const later = (a: FieldEntry, b: FieldEntry) => (a.at !== b.at ? a.at > b.at : a.c > b.c);

interface Resolved {
  element: NodeId;
  field: KeyField;
  value: string;
  conflicts: FieldConflict[];
}

function resolveRegister(reg: string, entries: FieldEntry[]): Resolved {
  const bar = reg.lastIndexOf('|');
  const element = reg.slice(0, bar);
  const field = reg.slice(bar + 1) as KeyField;
  const sorted = [...entries].sort((a, b) => (later(a, b) ? -1 : 1));
  const win = sorted[0]!;
  // Every write removes the entries its writer had seen, so any other entry still here is one the
  // winner's writer had not seen. (Comparing Lamport times is not enough: two devices can write
  // the same time, and the winner may have seen one of them but not the other.)
  const losers = sorted.slice(1).filter((e) => e.v !== win.v);
  if (TEXT_FIELDS.has(field)) {
    // Fold the unseen edits into the winner, oldest first, each against the text it started from.
    let value = win.v;
    for (const l of [...losers].reverse()) value = mergeText(l.was, value, l.v);
    return { element, field, value, conflicts: [] };
  }
  const conflicts = losers.map((l) => ({
    id: `${reg}|${l.c}.${l.at}`,
    element,
    field,
    kept: { value: win.v, who: win.who },
    lost: { value: l.v, who: l.who },
    t: Math.max(l.t, win.t),
  }));
  return { element, field, value: win.v, conflicts };
}

/** Every edited field's merged value, and the atomic edits that lost (unseen by the winner). */
export function resolveFields(doc: Y.Doc): Resolved[] {
  const out = [...entriesByField(doc)]
    .map(([reg, entries]) => resolveRegister(reg, entries))
    .filter((r) => !TEXT_FIELDS.has(r.field));
  for (const [element, field] of fieldTexts(doc)) {
    const { text, fresh } = fieldText(doc, element, field);
    if (!fresh) out.push({ element, field, value: text.toString(), conflicts: [] });
  }
  return out;
}

/** The conflicts of one element (a key or step) now, for the editor to offer taking them back. */
export function fieldConflicts(doc: Y.Doc, element: NodeId): FieldConflict[] {
  return resolveFields(doc)
    .filter((r) => r.element === element)
    .flatMap((r) => r.conflicts);
}

/** Lost atomic edits recorded so far, oldest first. */
export function recordedFieldConflicts(doc: Y.Doc): FieldConflict[] {
  const out: FieldConflict[] = [];
  for (const [key, value] of fieldMap(doc).entries()) if (key.startsWith('c|')) out.push(value as FieldConflict);
  return out.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
}

function nextFieldClock(doc: Y.Doc): number {
  let max = 0;
  for (const value of fieldMap(doc).values())
    if (Array.isArray(value) && typeof value[1] === 'number' && value[1] > max) max = value[1];
  return max + 1;
}

/**
 * Edits a field as this person: `was` is the value they started from (what the field showed
 * when they began typing). If the shared value moved on meanwhile, a text field merges their
 * typing into it; an atomic field takes their value. Writes the XML too.
 */
export function editField(doc: Y.Doc, element: NodeId, field: KeyField, value: string, ed: Editor, was?: string): void {
  doc.transact(() => {
    const current = readField(doc, element, field) ?? '';
    if (TEXT_FIELDS.has(field)) {
      const { text, fresh } = fieldText(doc, element, field, true);
      // Until its first edit the XML is the text's truth (it may differ from the imported seed).
      if (fresh) setTextTo(text, current);
      const shared = text.toString();
      const started = was ?? current;
      setTextTo(text, started !== shared ? mergeText(started, value, shared) : value);
      const next = text.toString();
      if (next !== current) writeField(doc, element, field, next);
      return;
    }
    const reg = `${element}|${field}`;
    const seen = entriesByField(doc).get(reg) ?? [];
    const map = fieldMap(doc);
    const own = `${reg}|${doc.clientID}`;
    // The time comes before the entries it replaces are removed: it must be later than them.
    const at = nextFieldClock(doc);
    for (const e of seen) if (e.key !== own) map.delete(e.key);
    const base = seen.reduce((m, e) => Math.max(m, e.at), 0);
    map.set(own, [value, at, base, ed.now, ed.who, current] satisfies Stored);
    if (value !== current) writeField(doc, element, field, value);
  });
}

/** Writes every merged field value into the XML where it differs, and records lost edits. */
export function reconcileFields(doc: Y.Doc): void {
  const map = fieldMap(doc);
  if (map.size === 0 && fieldTexts(doc).length === 0) return;
  const resolved = resolveFields(doc);
  doc.transact(() => {
    for (const r of resolved) {
      for (const c of r.conflicts) if (!map.has(`c|${c.id}`)) map.set(`c|${c.id}`, c);
      if (!nodeExists(doc, r.element)) continue;
      if ((readField(doc, r.element, r.field) ?? '') !== r.value) writeField(doc, r.element, r.field, r.value);
    }
  }, FIELD_RECONCILE_ORIGIN);
}

/**
 * After a local change of the XML that did not come through editField (undo, the raw tree, a
 * restored version), a text field whose XML now differs from its shared text takes the XML's
 * value into the text, so the next merge keeps it.
 */
function adoptXmlTexts(doc: Y.Doc): void {
  const texts = fieldTexts(doc);
  if (texts.length === 0) return;
  doc.transact(() => {
    for (const [element, field] of texts) {
      if (!nodeExists(doc, element)) continue;
      const { text, fresh } = fieldText(doc, element, field);
      const xml = readField(doc, element, field) ?? '';
      if (!fresh && text.toString() !== xml) setTextTo(text, xml);
    }
  }, FIELD_RECONCILE_ORIGIN);
}

/** Reconciles after every update from elsewhere; adopts local XML changes into texts. Returns the unsubscribe. */
export function watchFieldMerge(doc: Y.Doc): () => void {
  const onTransaction = (tr: Y.Transaction) => {
    if (tr.origin === FIELD_RECONCILE_ORIGIN) return;
    if (tr.local) adoptXmlTexts(doc);
    else reconcileFields(doc);
  };
  doc.on('afterTransaction', onTransaction);
  reconcileFields(doc);
  return () => doc.off('afterTransaction', onTransaction);
}
