/**
 * Text fields of soft keys (label, icon) as Y.Text, so concurrent edits merge character by
 * character and nothing anyone typed is lost (docs/merge.md). Each field edited at least once has
 * a top-level Y.Text named `field-text|${element}|${field}` (top-level, so two devices creating it
 * at once get one type, not two).
 *
 * A Y.Text starts empty, yet the field already has a value in the file. Two devices each
 * inserting that value would double it, so the starting value is inserted by an update built
 * deterministically: one insertion into the empty text made as client id = a hash of the field
 * and the value, the same item on every device, so Yjs keeps one copy however many seed it. The starting
 * value is the field's attribute in the imported source (immutable, the same everywhere), or ''.
 * Until somebody edits the text (only seed items in it), the XML stays authoritative.
 */
import * as Y from 'yjs';
import { importedAttributes, type NodeId } from '../xml/index.ts';
import { FIELD_ALIASES, type KeyField } from './fields.ts';

export const FIELD_TEXT_PREFIX = 'field-text|';

export const fieldTextName = (element: NodeId, field: KeyField) => `${FIELD_TEXT_PREFIX}${element}|${field}`;

/** FNV-1a, 32 bits, never 0: the client id of a seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h || 1;
}

function seedValue(doc: Y.Doc, element: NodeId, field: KeyField): string {
  const aliases = FIELD_ALIASES[field];
  const attrs = importedAttributes(doc, element);
  for (const alias of aliases) {
    const a = attrs.find((x) => x.name.toLowerCase() === alias);
    if (a) return a.value;
  }
  return '';
}

const seedClient = (name: string, value: string) => hash32(`${name}\n${value}`);

/** Whether nobody has edited the text yet (it holds only its seed). */
function isFresh(text: Y.Text, client: number): boolean {
  for (let item = text._start; item !== null; item = item.right) if (item.id.client !== client) return false;
  return true;
}

/** The field's shared text; `seed` puts its starting value in first (only editing does). */
export function fieldText(
  doc: Y.Doc,
  element: NodeId,
  field: KeyField,
  seed = false,
): { text: Y.Text; fresh: boolean } {
  const name = fieldTextName(element, field);
  const text = doc.getText(name);
  const value = seedValue(doc, element, field);
  const client = seedClient(name, value);
  if (seed && value && Y.getState(doc.store, client) === 0 && text.length === 0) {
    // Written as the seed's client (Y.applyUpdate would mark the whole transaction remote).
    const me = doc.clientID;
    doc.clientID = client;
    try {
      text.insert(0, value);
    } finally {
      doc.clientID = me;
    }
  }
  return { text, fresh: isFresh(text, client) };
}

/** The fields that have a shared text on this device: [element, field]. */
export function fieldTexts(doc: Y.Doc): Array<[NodeId, KeyField]> {
  const out: Array<[NodeId, KeyField]> = [];
  for (const name of doc.share.keys()) {
    if (!name.startsWith(FIELD_TEXT_PREFIX)) continue;
    const rest = name.slice(FIELD_TEXT_PREFIX.length);
    const bar = rest.lastIndexOf('|');
    out.push([rest.slice(0, bar), rest.slice(bar + 1) as KeyField]);
  }
  return out;
}

/** Changes a shared text into `to` by one deletion and one insertion (what differs between them). */
export function setTextTo(text: Y.Text, to: string): void {
  const from = text.toString();
  if (from === to) return;
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let tail = 0;
  while (
    tail < from.length - start &&
    tail < to.length - start &&
    from[from.length - 1 - tail] === to[to.length - 1 - tail]
  )
    tail++;
  if (from.length - start - tail > 0) text.delete(start, from.length - start - tail);
  if (to.length - start - tail > 0) text.insert(start, to.slice(start, to.length - tail));
}
