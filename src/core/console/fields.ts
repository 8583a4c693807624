/**
 * Tolerant reading and writing of a named field of an element, since the real element names of
 * console files are unknown: a field is an attribute whose name matches one of its aliases
 * case-insensitively, or else a child element with such a name (its text). Writing goes to
 * wherever the value was found; a missing field becomes an attribute named like the element's
 * other attributes (upper case when they are, as in EuCon files).
 */
import type * as Y from 'yjs';
import { attributes, childElements, getText, nodeName, setAttribute, setText, type NodeId } from '../xml/index.ts';

export type KeyField = 'label' | 'colour' | 'icon' | 'command';

/** Accepted names per field, lower case, first one is the preferred spelling for new attributes. */
export const FIELD_ALIASES: Record<KeyField, string[]> = {
  label: ['label', 'text', 'title', 'caption', 'displayname'],
  colour: ['color', 'colour', 'keycolor', 'keycolour'],
  icon: ['icon', 'image', 'iconname'],
  command: ['command', 'cmd', 'action', 'commandname'],
};

/** Where a field's value lives on an element. */
export type FieldSource = { kind: 'attribute'; name: string } | { kind: 'element'; id: NodeId } | null;

export function findField(doc: Y.Doc, element: NodeId, field: KeyField): FieldSource {
  const aliases = FIELD_ALIASES[field];
  for (const alias of aliases) {
    const a = attributes(doc, element).find((x) => x.name.toLowerCase() === alias);
    if (a) return { kind: 'attribute', name: a.name };
  }
  for (const alias of aliases) {
    const child = childElements(doc, element).find((c) => nodeName(doc, c)!.toLowerCase() === alias);
    if (child) return { kind: 'element', id: child };
  }
  return null;
}

export function readField(doc: Y.Doc, element: NodeId, field: KeyField): string | null {
  const source = findField(doc, element, field);
  if (!source) return null;
  if (source.kind === 'attribute') return attributes(doc, element).find((a) => a.name === source.name)!.value;
  // A command element may carry its name in an attribute rather than as text.
  const text = getText(doc, source.id).trim();
  if (text || field !== 'command') return text;
  const named = attributes(doc, source.id).find((a) => ['name', 'value', 'id'].includes(a.name.toLowerCase()));
  return named ? named.value : '';
}

export function writeField(doc: Y.Doc, element: NodeId, field: KeyField, value: string): void {
  const source = findField(doc, element, field);
  if (source?.kind === 'attribute') setAttribute(doc, element, source.name, value);
  else if (source?.kind === 'element') setText(doc, source.id, value);
  else {
    const names = attributes(doc, element).map((a) => a.name);
    const upper = names.length === 0 || names.every((n) => n === n.toUpperCase());
    const base = FIELD_ALIASES[field][0]!;
    setAttribute(doc, element, upper ? base.toUpperCase() : base, value);
  }
}
