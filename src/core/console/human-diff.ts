/**
 * Changes between two states of one console document, worded as a session log: "Strip 20:
 * Kick -> BV", "Strip 3 colour: (none) -> red" (with the layout's name when the document has several), "Key 'Undo' label: 'Undo'
 * -> 'Undo A'". Layouts and App Sets are compared by what they mean (strips, key fields); any
 * other XML falls back to the XML model's node diff. Both docs must come from the same import.
 */
import type * as Y from 'yjs';
import { diffVersions } from '../xml/index.ts';
import { isAppSet, readAppSet, type AppSetKey } from './app-set.ts';
import type { KeyField } from './fields.ts';
import { isLayoutDocument, readLayouts } from './layout.ts';

const q = (v: string | null) => (v === null || v === '' ? '(none)' : `'${v}'`);
const track = (v: string | null | undefined) => v ?? '(blank)';

function layoutChanges(before: Y.Doc, after: Y.Doc): string[] {
  const out: string[] = [];
  const a = new Map(readLayouts(before).map((l) => [l.id, l]));
  const b = readLayouts(after);
  const several = Math.max(a.size, b.length) > 1;
  for (const l of b) {
    const old = a.get(l.id);
    if (!old) {
      out.push(`Layout '${l.name}' added`);
      continue;
    }
    if (old.name !== l.name) out.push(`Layout '${old.name}' renamed '${l.name}'`);
    const prefix = several ? `${l.name}, strip` : 'Strip';
    const was = new Map(old.strips.filter((s) => Number.isInteger(s.slot)).map((s) => [s.slot, s]));
    const now = new Map(l.strips.filter((s) => Number.isInteger(s.slot)).map((s) => [s.slot, s]));
    const slots = [...new Set([...was.keys(), ...now.keys()])].sort((x, y) => x - y);
    for (const slot of slots) {
      const [from, to] = [was.get(slot), now.get(slot)];
      if ((from?.track ?? null) !== (to?.track ?? null))
        out.push(`${prefix} ${slot}: ${track(from?.track)} -> ${track(to?.track)}`);
      // A colour change counts too: a Restore that only recolours strips would report nothing.
      if ((from?.colour ?? null) !== (to?.colour ?? null))
        out.push(`${prefix} ${slot} colour: ${from?.colour ?? '(none)'} -> ${to?.colour ?? '(none)'}`);
    }
  }
  const kept = new Set(b.map((l) => l.id));
  for (const [id, l] of a) if (!kept.has(id)) out.push(`Layout '${l.name}' removed`);
  return out;
}

const FIELDS: KeyField[] = ['label', 'colour', 'icon', 'command'];

function keys(doc: Y.Doc): Map<string, AppSetKey> {
  return new Map(
    readAppSet(doc)
      .flatMap((s) => s.banks.flatMap((b) => b.keys))
      .map((k) => [k.id, k]),
  );
}

function appSetChanges(before: Y.Doc, after: Y.Doc): string[] {
  const out: string[] = [];
  const a = keys(before);
  for (const [id, k] of keys(after)) {
    const old = a.get(id);
    const name = old?.label ?? k.label ?? k.element;
    if (!old) {
      out.push(`Key '${name}' added`);
      continue;
    }
    for (const f of FIELDS) if (old[f] !== k[f]) out.push(`Key '${name}' ${f}: ${q(old[f])} -> ${q(k[f])}`);
    if (old.steps.join() !== k.steps.join())
      out.push(`Key '${name}' macro steps changed (${old.steps.length} -> ${k.steps.length})`);
  }
  const now = keys(after);
  for (const [id, k] of a) if (!now.has(id)) out.push(`Key '${k.label ?? k.element}' removed`);
  return out;
}

export function humanChanges(before: Y.Doc, after: Y.Doc): string[] {
  if (isLayoutDocument(after) && isLayoutDocument(before)) return layoutChanges(before, after);
  if (isAppSet(after) && isAppSet(before)) {
    const meaning = appSetChanges(before, after);
    // Changes outside the keys (AppSetWide, wheels) still show, as the XML diff words them.
    const other = diffVersions(before, after).filter((c) => !/\/(Section|Bank)/i.test(c.path));
    return [...meaning, ...other.map((c) => c.summary)];
  }
  return diffVersions(before, after).map((c) => c.summary);
}
