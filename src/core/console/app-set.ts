/**
 * An EuCon App Set read through the XML model: AppSetWide fields, custom wheel functions, and
 * Section(ID) -> Bank(ID, SIZE) -> keys. Every child element of a Bank is a key, whatever its
 * name; label, colour, icon and command are found tolerantly (fields.ts). Macro steps are the
 * element children of a key's Macro/Steps element, or its Step children. Nothing here changes
 * what it does not understand: a key's other content stays exactly as it was.
 */
import type * as Y from 'yjs';
import {
  attributes,
  childElements,
  childNodes,
  copyNode,
  getText,
  insertElement,
  moveNode,
  nodeName,
  removeNode,
  rootElement,
  setText,
  type NodeId,
  type XmlAttribute,
} from '../xml/index.ts';
import { readField, type KeyField } from './fields.ts';

export interface AppSetKey {
  id: NodeId;
  /** The element name of the key as in the file. */
  element: string;
  label: string | null;
  colour: string | null;
  icon: string | null;
  command: string | null;
  steps: NodeId[];
}

export interface AppSetBank {
  id: NodeId;
  bankId: string | null;
  size: number | null;
  keys: AppSetKey[];
}

export interface AppSetSection {
  id: NodeId;
  sectionId: string | null;
  banks: AppSetBank[];
}

const lower = (doc: Y.Doc, id: NodeId) => nodeName(doc, id)!.toLowerCase();
const attr = (doc: Y.Doc, id: NodeId, name: string) =>
  attributes(doc, id).find((a) => a.name.toLowerCase() === name)?.value ?? null;

/** True when the document's root element is an AppSet. */
export function isAppSet(doc: Y.Doc): boolean {
  return lower(doc, rootElement(doc)) === 'appset';
}

function appSetWide(doc: Y.Doc): NodeId | null {
  return childElements(doc, rootElement(doc)).find((c) => lower(doc, c) === 'appsetwide') ?? null;
}

/** File-wide fields (AppName, AppSetName, CreationDate...): leaf children of AppSetWide with their text. */
export function appSetWideFields(doc: Y.Doc): Array<{ id: NodeId; name: string; value: string }> {
  const wide = appSetWide(doc);
  if (!wide) return [];
  return childElements(doc, wide)
    .filter((c) => childElements(doc, c).length === 0 && attributes(doc, c).length === 0)
    .map((c) => ({ id: c, name: nodeName(doc, c)!, value: getText(doc, c) }));
}

/** Sets an AppSetWide field's text; adds the field when it is missing. */
export function setAppSetWideField(doc: Y.Doc, name: string, value: string): void {
  const wide = appSetWide(doc);
  if (!wide) throw new Error('this App Set has no AppSetWide element');
  const existing = childElements(doc, wide).find((c) => nodeName(doc, c) === name);
  doc.transact(() => setText(doc, existing ?? insertElement(doc, wide, Number.MAX_SAFE_INTEGER, name), value));
}

/** CustomWheelFunction elements (NAME, SIZE, TYPE, UID ...) anywhere under AppSetWide. */
export function customWheelFunctions(doc: Y.Doc): Array<{ id: NodeId; attributes: XmlAttribute[] }> {
  const out: Array<{ id: NodeId; attributes: XmlAttribute[] }> = [];
  const walk = (id: NodeId) => {
    for (const c of childElements(doc, id)) {
      if (lower(doc, c) === 'customwheelfunction') out.push({ id: c, attributes: attributes(doc, c) });
      walk(c);
    }
  };
  const wide = appSetWide(doc);
  if (wide) walk(wide);
  return out;
}

function macroContainer(doc: Y.Doc, key: NodeId): NodeId | null {
  return childElements(doc, key).find((c) => ['macro', 'steps', 'macrosteps'].includes(lower(doc, c))) ?? null;
}

/** The macro steps of a key (element nodes, in order). */
export function keySteps(doc: Y.Doc, key: NodeId): NodeId[] {
  const container = macroContainer(doc, key);
  if (container) return childElements(doc, container);
  return childElements(doc, key).filter((c) => lower(doc, c) === 'step');
}

export function readKey(doc: Y.Doc, key: NodeId): AppSetKey {
  const f = (field: KeyField) => readField(doc, key, field);
  return {
    id: key,
    element: nodeName(doc, key)!,
    label: f('label'),
    colour: f('colour'),
    icon: f('icon'),
    command: f('command'),
    steps: keySteps(doc, key),
  };
}

/** Sections, banks and keys in file order. */
export function readAppSet(doc: Y.Doc): AppSetSection[] {
  return childElements(doc, rootElement(doc))
    .filter((c) => lower(doc, c) === 'section')
    .map((s) => ({
      id: s,
      sectionId: attr(doc, s, 'id'),
      banks: childElements(doc, s)
        .filter((b) => lower(doc, b) === 'bank')
        .map((b) => {
          const size = Number(attr(doc, b, 'size'));
          return {
            id: b,
            bankId: attr(doc, b, 'id'),
            size: Number.isFinite(size) && attr(doc, b, 'size') !== null ? size : null,
            keys: childElements(doc, b).map((k) => readKey(doc, k)),
          };
        }),
    }));
}

/** Keys whose label contains `query` (case-insensitive). */
export function findKeysByLabel(doc: Y.Doc, query: string): AppSetKey[] {
  const q = query.toLowerCase();
  return readAppSet(doc)
    .flatMap((s) => s.banks.flatMap((b) => b.keys))
    .filter((k) => (k.label ?? '').toLowerCase().includes(q));
}

/**
 * Adds a macro step (an element named like the existing steps, `Step` by default) at `index`;
 * creates the Macro container when the key has none.
 */
export function addMacroStep(doc: Y.Doc, key: NodeId, index: number, attrs: Array<[string, string]>): NodeId {
  let step = '';
  doc.transact(() => {
    const existing = keySteps(doc, key);
    // The new Macro container has a stable id so two people adding a first step at once share it.
    const container =
      macroContainer(doc, key) ??
      (existing.length ? key : insertElement(doc, key, Number.MAX_SAFE_INTEGER, 'Macro', [], { id: `${key}.~macro` }));
    const name = existing[0] ? nodeName(doc, existing[0])! : 'Step';
    const anchor = existing[index];
    const siblings = childNodes(doc, container);
    const at = anchor
      ? siblings.indexOf(anchor)
      : existing.length
        ? siblings.indexOf(existing[existing.length - 1]!) + 1
        : siblings.length;
    step = insertElement(doc, container, at, name, attrs);
  });
  return step;
}

export function removeMacroStep(doc: Y.Doc, step: NodeId): void {
  removeNode(doc, step);
}

/** Moves a step to position `index` among the key's steps. */
export function moveMacroStep(doc: Y.Doc, key: NodeId, step: NodeId, index: number): void {
  const steps = keySteps(doc, key).filter((s) => s !== step);
  const container = macroContainer(doc, key) ?? key;
  doc.transact(() => {
    const others = childNodes(doc, container).filter((c) => c !== step);
    const anchor = steps[index];
    let at = anchor
      ? others.indexOf(anchor)
      : steps.length
        ? others.indexOf(steps[steps.length - 1]!) + 1
        : others.length;
    const prev = others[at - 1];
    // moveNode takes the whitespace before the step with it: count positions without it.
    const all = childNodes(doc, container);
    const before = all[all.indexOf(step) - 1];
    if (before !== undefined && before === prev && getText(doc, before).trim() === '') at = Math.max(0, at - 1);
    moveNode(doc, step, container, at);
  });
}

/** Copies a bank (deep) to `index` among the children of `section` (default: after the original). */
export function copyBank(doc: Y.Doc, bank: NodeId, section: NodeId, index?: number): NodeId {
  const siblings = childNodes(doc, section);
  return copyNode(doc, bank, section, index ?? siblings.indexOf(bank) + 1);
}
