/**
 * Editing the node model. Every change writes one or a few edit records (store.ts), each a
 * separate key, inside one Y transaction: a local origin-less transaction, so a Y.UndoManager
 * on the 'xml' map tracks it (wrap several calls in `doc.transact(fn, origin)` to group them).
 * Positions are indexes among `childNodes(parent)` at the time of the call and are turned into
 * order keys, so concurrent inserts and moves never renumber anyone else's nodes.
 *
 * With `tidy` (the default) inserts copy the neighbouring indentation and removals take the
 * whitespace before the node with them, so a pretty-printed file stays pretty.
 */
import type * as Y from 'yjs';
import { XmlError } from './errors.ts';
import { modelOf, type XmlModel } from './model.ts';
import { keyBetween } from './order-key.ts';
import { sourceAttrs } from './parsed.ts';
import { getText } from './nodes.ts';
import {
  attrKey, createdKey, newNodeId, placeKey, removedKey, textKey,
  type AttrEdit, type Created, type CreatedKind, type NodeId, type Quote,
} from './store.ts';

export interface TidyOption {
  /** Keep indentation tidy around inserted, moved and removed nodes (default true). */
  tidy?: boolean;
}

export interface InsertOptions extends TidyOption {
  /**
   * A stable id for the new element (must contain '.', e.g. `${layoutId}.slot12`). Two people
   * inserting with the same id at once create one element, not two (its attributes then merge
   * per attribute). Re-inserting a removed stable id brings it back.
   */
  id?: NodeId;
}

function write(model: XmlModel, key: string, value: unknown): void {
  model.edits.set(key, value);
  model.invalidate();
}

function requireElement(model: XmlModel, id: NodeId): void {
  if (!model.exists(id) || model.kind(id) !== 'element') throw new XmlError(`node ${id} is not an element`);
}

/** Sets an attribute's value; an existing one keeps its place and quote, a new one goes last. */
export function setAttribute(doc: Y.Doc, id: NodeId, name: string, value: string): void {
  const model = modelOf(doc);
  requireElement(model, id);
  const attrs = model.attributes(id);
  const existing = attrs.find((a) => a.name === name);
  if (existing) {
    doc.transact(() => write(model, attrKey(id, name), { ...(existing.edit ?? {}), v: value } satisfies AttrEdit));
    return;
  }
  insertAttribute(doc, id, attrs.length, name, value);
}

/** Adds an attribute at a position among the element's attributes (replaces it if present elsewhere). */
export function insertAttribute(doc: Y.Doc, id: NodeId, index: number, name: string, value: string, quote: Quote = '"'): void {
  const model = modelOf(doc);
  requireElement(model, id);
  if (!/^[^\s"'<>=/&]+$/.test(name)) throw new XmlError(`'${name}' is not a valid attribute name`);
  const attrs = model.attributes(id).filter((a) => a.name !== name);
  const before = attrs[index - 1]?.key ?? null;
  const after = attrs[index]?.key ?? null;
  const node = model.sourceNode(id);
  const isSource = node ? sourceAttrs(model.parsed, node).some((a) => model.parsed.text.slice(a.nameStart, a.nameEnd) === name) : false;
  doc.transact(() => {
    if (isSource) write(model, attrKey(id, name), { v: value } satisfies AttrEdit);
    else write(model, attrKey(id, name), { v: value, q: quote, k: keyBetween(before, after) } satisfies AttrEdit);
  });
}

export function removeAttribute(doc: Y.Doc, id: NodeId, name: string): void {
  const model = modelOf(doc);
  requireElement(model, id);
  doc.transact(() => write(model, attrKey(id, name), { d: 1 } satisfies AttrEdit));
}

function isBlank(doc: Y.Doc, model: XmlModel, id: NodeId | undefined): id is NodeId {
  return id !== undefined && model.kind(id) === 'text' && /^[ \t\r\n]*$/.test(getText(doc, id));
}

/** Sets the text of a text, CDATA, comment or PI node; for an element, replaces its text content. */
export function setText(doc: Y.Doc, id: NodeId, value: string): void {
  const model = modelOf(doc);
  const kind = model.kind(id);
  doc.transact(() => {
    if (kind !== 'element') { write(model, textKey(id), value); return; }
    const texts = model.children(id).filter((c) => model.kind(c) === 'text' || model.kind(c) === 'cdata');
    // The element's own text node has a stable id, so two people giving an empty element text at once converge on one value.
    if (texts.length === 0) { createNode(doc, model, id, freshKey(doc, null, keyOf(model, model.children(id)[0])), 'text', undefined, value, `${id}.~text`); return; }
    write(model, textKey(texts[0]!), value);
    for (const t of texts.slice(1)) write(model, removedKey(t), 1);
  });
}

function keyOf(model: XmlModel, id: NodeId | undefined): string | null {
  return id === undefined ? null : model.orderKey(id);
}

function createNode(doc: Y.Doc, model: XmlModel, parent: NodeId, k: string, t: CreatedKind, name?: string, text?: string, stableId?: NodeId): NodeId {
  const id = stableId ?? newNodeId(doc);
  if (stableId !== undefined) {
    if (model.edits.has(removedKey(id))) model.edits.delete(removedKey(id));
    if (model.edits.has(placeKey(id))) model.edits.delete(placeKey(id));
  }
  const created: Created = { t, p: parent, k, ...(name !== undefined ? { name } : {}) };
  write(model, createdKey(id), created);
  if (text !== undefined) write(model, textKey(id), text);
  return id;
}

/** This replica's fixed-length key suffix: concurrent inserts at one place get distinct keys. */
function clientSuffix(doc: Y.Doc): string {
  return doc.clientID.toString(36).padStart(7, '0') + 'i';
}

/** A key between `prev` and `next` ending in this replica's suffix (so never equal to another replica's). */
function freshKey(doc: Y.Doc, prev: string | null, next: string | null): string {
  let m = keyBetween(prev, next);
  const suffix = clientSuffix(doc);
  for (let i = 0; i < 40; i++) {
    const candidate = m + suffix;
    if (next === null || candidate < next) return candidate;
    m = keyBetween(m, next);
  }
  return keyBetween(prev, next);
}

/** A key right after `first` and before `next`; `first + 'i'` keeps a pair of nodes adjacent under concurrency. */
function keyRightAfter(first: string, next: string | null): string {
  const k = first + 'i';
  return next === null || k < next ? k : keyBetween(first, next);
}

/**
 * Finds the order key for a node going to `index` among the parent's children (the node itself
 * left out) and hands it to `put`. With tidy, also creates a copy of the siblings' indentation
 * on the side of the node that needs it; the pair gets adjacent keys (`k`, `k + 'i'`, with `k`
 * unique to this replica) so another person's insert at the same place never lands between them.
 */
function placeAt(doc: Y.Doc, model: XmlModel, parent: NodeId, index: number, node: NodeId | null, tidy: boolean, put: (k: string) => void, stableId?: NodeId): void {
  const siblings = model.children(parent).filter((c) => c !== node);
  let i = Math.max(0, Math.min(index, siblings.length));
  if (!tidy) { put(freshKey(doc, keyOf(model, siblings[i - 1]), keyOf(model, siblings[i]))); return; }
  if (i === siblings.length && i > 0 && isBlank(doc, model, siblings[i - 1])) i--;
  const prev = keyOf(model, siblings[i - 1]);
  const next = keyOf(model, siblings[i]);
  const blankAfter = isBlank(doc, model, siblings[i]);
  const blankBefore = isBlank(doc, model, siblings[i - 1]);
  if (!blankAfter && !blankBefore) { put(freshKey(doc, prev, next)); return; }
  const firstElement = siblings.findIndex((c) => model.kind(c) === 'element');
  const typical = siblings[firstElement - 1];
  const indent = getText(doc, isBlank(doc, model, typical) ? typical : (blankAfter ? siblings[i]! : siblings[i - 1]!));
  const first = freshKey(doc, prev, next);
  const second = keyRightAfter(first, next);
  if (blankAfter) {
    createNode(doc, model, parent, first, 'text', undefined, indent, stableId && `${stableId}.~ws`);
    put(second);
  } else {
    put(first);
    createNode(doc, model, parent, second, 'text', undefined, indent, stableId && `${stableId}.~ws`);
  }
}

/** Inserts a new element at `index` among the parent's children; returns its id. */
export function insertElement(doc: Y.Doc, parent: NodeId, index: number, name: string, attrs: Array<[string, string]> = [], opts: InsertOptions = {}): NodeId {
  const model = modelOf(doc);
  requireElement(model, parent);
  if (!/^[^\s"'<>=/&!?]+$/.test(name)) throw new XmlError(`'${name}' is not a valid element name`);
  let id = '';
  doc.transact(() => {
    if (opts.id !== undefined && (opts.id.indexOf('.') < 0 || opts.id.indexOf('|') >= 0)) throw new XmlError(`'${opts.id}' is not a valid stable node id (needs a '.', no '|')`);
    placeAt(doc, model, parent, index, null, opts.tidy !== false, (k) => { id = createNode(doc, model, parent, k, 'element', name, undefined, opts.id); }, opts.id);
    let k: string | null = null;
    for (const [n, v] of attrs) {
      k = keyBetween(k, null);
      write(model, attrKey(id, n), { v, q: '"', k } satisfies AttrEdit);
    }
  });
  return id;
}

/** Inserts a text, CDATA, comment or PI node (PI value: `target data`) at `index`; returns its id. */
export function insertText(doc: Y.Doc, parent: NodeId, index: number, value: string, kind: Exclude<CreatedKind, 'element'> = 'text'): NodeId {
  const model = modelOf(doc);
  requireElement(model, parent);
  let id = '';
  doc.transact(() => {
    placeAt(doc, model, parent, index, null, false, (k) => { id = createNode(doc, model, parent, k, kind, undefined, value); });
  });
  return id;
}

/** Removes a node and its subtree (with the whitespace before it when tidy). */
export function removeNode(doc: Y.Doc, id: NodeId, opts: TidyOption = {}): void {
  const model = modelOf(doc);
  const parent = model.parent(id);
  if (parent === null) throw new XmlError('the document node cannot be removed');
  doc.transact(() => {
    const siblings = model.children(parent);
    const prev = siblings[siblings.indexOf(id) - 1];
    if (opts.tidy !== false && model.kind(id) !== 'text' && isBlank(doc, model, prev)) write(model, removedKey(prev), 1);
    write(model, removedKey(id), 1);
  });
}

/**
 * Moves a node to `index` among the children of `newParent`, counted without the node itself
 * (and, when tidy, without the whitespace before it, which goes with it).
 */
export function moveNode(doc: Y.Doc, id: NodeId, newParent: NodeId, index: number, opts: TidyOption = {}): void {
  const model = modelOf(doc);
  requireElement(model, newParent);
  for (let n: NodeId | null = newParent; n !== null; n = model.parent(n)) {
    if (n === id) throw new XmlError('a node cannot be moved inside itself');
  }
  const oldParent = model.parent(id);
  if (oldParent === null) throw new XmlError('the document node cannot be moved');
  const tidy = opts.tidy !== false && model.kind(id) !== 'text';
  doc.transact(() => {
    const old = model.children(oldParent);
    const prev = old[old.indexOf(id) - 1];
    if (tidy && isBlank(doc, model, prev)) write(model, removedKey(prev), 1);
    placeAt(doc, model, newParent, index, id, tidy, (k) => write(model, placeKey(id), { p: newParent, k }));
  });
}
