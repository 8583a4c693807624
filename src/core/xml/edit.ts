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
import { gapPrefix, idSuffix, keyBetween, keyWithSuffix } from './order-key.ts';
import { sourceAttrs } from './parsed.ts';
import { getText } from './nodes.ts';
import {
  attrKey,
  createdKey,
  newNodeId,
  placeKey,
  removedKey,
  textKey,
  type AttrEdit,
  type Created,
  type CreatedKind,
  type NodeId,
  type Quote,
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
  /**
   * Keeps the element in a caller-defined order among its siblings under concurrency, e.g. a
   * strip's slot number padded to a fixed width (digits and a-z, the same width for every
   * sibling). Siblings inserted without a rank are fixed points; between two of them, ranked
   * siblings are ordered by rank on every replica, whatever each person had seen when inserting,
   * and the rank, not `index`, decides the place among them. With tidy the element goes on its
   * own line, its indentation right before it.
   */
  rank?: string;
  /**
   * With `rank` and tidy: the line break and indentation to use when no sibling element shows
   * one. An element with no children at all also gets its closing tag on its own line, indented
   * like the element's own line.
   */
  indent?: string;
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
export function insertAttribute(
  doc: Y.Doc,
  id: NodeId,
  index: number,
  name: string,
  value: string,
  quote: Quote = '"',
): void {
  const model = modelOf(doc);
  requireElement(model, id);
  if (!/^[^\s"'<>=/&]+$/.test(name)) throw new XmlError(`'${name}' is not a valid attribute name`);
  const attrs = model.attributes(id).filter((a) => a.name !== name);
  const before = attrs[index - 1]?.key ?? null;
  const after = attrs[index]?.key ?? null;
  const node = model.sourceNode(id);
  const isSource = node
    ? sourceAttrs(model.parsed, node).some((a) => model.parsed.text.slice(a.nameStart, a.nameEnd) === name)
    : false;
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
    if (kind !== 'element') {
      write(model, textKey(id), value);
      return;
    }
    const texts = model.children(id).filter((c) => model.kind(c) === 'text' || model.kind(c) === 'cdata');
    // The element's own text node has a stable id, so two people giving an empty element text at once converge on one value.
    if (texts.length === 0) {
      const textId = `${id}.~text`;
      createNode(
        doc,
        model,
        { t: 'text', p: id, k: keyWithSuffix(idSuffix(textId), null, keyOf(model, model.children(id)[0])) },
        value,
        textId,
      );
      return;
    }
    write(model, textKey(texts[0]!), value);
    for (const t of texts.slice(1)) write(model, removedKey(t), 1);
  });
}

function keyOf(model: XmlModel, id: NodeId | undefined): string | null {
  return id === undefined ? null : model.orderKey(id);
}

function createNode(doc: Y.Doc, model: XmlModel, created: Created, text?: string, stableId?: NodeId): NodeId {
  const id = stableId ?? newNodeId(doc);
  if (stableId !== undefined) {
    if (model.edits.has(removedKey(id))) model.edits.delete(removedKey(id));
    if (model.edits.has(placeKey(id))) model.edits.delete(placeKey(id));
  }
  write(model, createdKey(id), created);
  if (text !== undefined) write(model, textKey(id), text);
  return id;
}

/**
 * The fixed-length key suffix for a new node: this replica's, so concurrent inserts at one place
 * get distinct keys; or, for a stable id, one derived from the id, so two replicas creating the
 * same node from the same view write the same key (the record they both write is then one
 * value, and nothing placed next to it by either of them is separated from it by the merge).
 */
function suffixFor(doc: Y.Doc, stableId?: NodeId): string {
  return stableId === undefined ? doc.clientID.toString(36).padStart(7, '0') + 'i' : idSuffix(stableId);
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
function placeAt(
  doc: Y.Doc,
  model: XmlModel,
  parent: NodeId,
  index: number,
  node: NodeId | null,
  tidy: boolean,
  put: (k: string) => void,
  stableId?: NodeId,
): void {
  const siblings = model.children(parent).filter((c) => c !== node);
  let i = Math.max(0, Math.min(index, siblings.length));
  const suffix = suffixFor(doc, stableId);
  const freshKey = (prev: string | null, next: string | null) => keyWithSuffix(suffix, prev, next);
  if (!tidy) {
    put(freshKey(keyOf(model, siblings[i - 1]), keyOf(model, siblings[i])));
    return;
  }
  if (i === siblings.length && i > 0 && isBlank(doc, model, siblings[i - 1])) i--;
  const prev = keyOf(model, siblings[i - 1]);
  const next = keyOf(model, siblings[i]);
  const blankAfter = isBlank(doc, model, siblings[i]);
  const blankBefore = isBlank(doc, model, siblings[i - 1]);
  if (!blankAfter && !blankBefore) {
    put(freshKey(prev, next));
    return;
  }
  const firstElement = siblings.findIndex((c) => model.kind(c) === 'element');
  const typical = siblings[firstElement - 1];
  const indent = getText(doc, isBlank(doc, model, typical) ? typical : blankAfter ? siblings[i]! : siblings[i - 1]!);
  const first = freshKey(prev, next);
  const second = keyRightAfter(first, next);
  if (blankAfter) {
    createNode(doc, model, { t: 'text', p: parent, k: first }, indent, stableId && `${stableId}.~ws`);
    put(second);
  } else {
    put(first);
    createNode(doc, model, { t: 'text', p: parent, k: second }, indent, stableId && `${stableId}.~ws`);
  }
}

/** The rank a node was inserted with, while it still sits where that put it (not moved since). */
function rankOf(model: XmlModel, id: NodeId): string | undefined {
  const e = model.overlay.nodes.get(id);
  return e?.place ? undefined : e?.created?.r;
}

/**
 * Placement with a rank (InsertOptions.rank). The siblings around `index` that were not inserted
 * with a rank bound a run of ranked ones; the new node's key is `gap + rank + suffix`, where the
 * gap prefix depends only on those two bounds. So every replica orders concurrent ranked inserts
 * by rank, and the same stable id gets the same key on every replica that saw the same bounds.
 * With tidy the node's indentation goes right before it (keys `base`, `base + 'i'`), so a line
 * and its indentation sort as one and the closing tag keeps its own line.
 *
 * If that key would not land at the asked place (an unranked node was put inside a run after
 * its ranked nodes got their keys, or one of the bounds was moved or removed), the gap is the
 * one between the actual neighbours instead: the place asked for wins, and concurrent inserts
 * into that same gap are still ordered by rank.
 */
function placeRanked(
  doc: Y.Doc,
  model: XmlModel,
  parent: NodeId,
  index: number,
  rank: string,
  opts: InsertOptions,
  put: (k: string) => void,
): void {
  const tidy = opts.tidy !== false;
  if (tidy && opts.indent !== undefined) closeOnOwnLine(doc, model, parent);
  const siblings = model.children(parent);
  let i = Math.max(0, Math.min(index, siblings.length));
  if (tidy) while (i > 0 && isBlank(doc, model, siblings[i - 1])) i--;
  let lo = i - 1;
  while (lo >= 0 && rankOf(model, siblings[lo]!) !== undefined) lo--;
  let hi = i;
  while (hi < siblings.length && rankOf(model, siblings[hi]!) !== undefined) hi++;
  const firstElement = siblings.find((c) => model.kind(c) === 'element');
  const before = firstElement === undefined ? undefined : siblings[siblings.indexOf(firstElement) - 1];
  const typical = isBlank(doc, model, before) ? getText(doc, before) : undefined;
  // One line break only: a blank line before the first element is not copied to every new one.
  const indent = !tidy
    ? undefined
    : typical !== undefined
      ? typical.slice(Math.max(0, typical.lastIndexOf('\n')))
      : opts.indent;
  const prev = keyOf(model, siblings[i - 1]);
  const next = keyOf(model, siblings[i]);
  const suffix = suffixFor(doc, opts.id);
  const last = indent === undefined ? '' : 'i';
  let base = gapPrefix(keyOf(model, siblings[lo]), keyOf(model, siblings[hi])) + rank + suffix;
  if ((prev !== null && base <= prev) || (next !== null && base + last >= next))
    base = gapPrefix(prev, next) + rank + suffix;
  if (indent === undefined) {
    put(base);
    return;
  }
  createNode(doc, model, { t: 'text', p: parent, k: base, r: rank }, indent, opts.id && `${opts.id}.~ws`);
  put(base + 'i');
}

/**
 * Gives an element with no children its closing tag on a line of its own, indented like the
 * element's own line. The whitespace has a stable id per parent, so two people adding the first
 * child at once create it once.
 */
function closeOnOwnLine(doc: Y.Doc, model: XmlModel, parent: NodeId): void {
  if (model.children(parent).length > 0) return;
  const grand = model.parent(parent);
  if (grand === null) return;
  const around = model.children(grand);
  const before = around[around.indexOf(parent) - 1];
  if (!isBlank(doc, model, before)) return;
  const own = getText(doc, before);
  const line = own.lastIndexOf('\n');
  if (line < 0) return;
  const id = `${parent}.~end`;
  createNode(doc, model, { t: 'text', p: parent, k: keyWithSuffix(idSuffix(id), null, null) }, own.slice(line), id);
}

/** Inserts a new element at `index` among the parent's children; returns its id. */
export function insertElement(
  doc: Y.Doc,
  parent: NodeId,
  index: number,
  name: string,
  attrs: Array<[string, string]> = [],
  opts: InsertOptions = {},
): NodeId {
  const model = modelOf(doc);
  requireElement(model, parent);
  if (!/^[^\s"'<>=/&!?]+$/.test(name)) throw new XmlError(`'${name}' is not a valid element name`);
  let id = '';
  doc.transact(() => {
    if (opts.id !== undefined && (opts.id.indexOf('.') < 0 || opts.id.indexOf('|') >= 0))
      throw new XmlError(`'${opts.id}' is not a valid stable node id (needs a '.', no '|')`);
    if (opts.rank !== undefined && !/^[0-9a-z]+$/.test(opts.rank))
      throw new XmlError(`'${opts.rank}' is not a valid rank (digits and a-z only)`);
    const rank = opts.rank;
    const create = (k: string) => {
      id = createNode(
        doc,
        model,
        { t: 'element', p: parent, k, name, ...(rank !== undefined ? { r: rank } : {}) },
        undefined,
        opts.id,
      );
    };
    if (rank !== undefined) placeRanked(doc, model, parent, index, rank, opts, create);
    else placeAt(doc, model, parent, index, null, opts.tidy !== false, create, opts.id);
    let k: string | null = null;
    for (const [n, v] of attrs) {
      k = keyBetween(k, null);
      write(model, attrKey(id, n), { v, q: '"', k } satisfies AttrEdit);
    }
  });
  return id;
}

/** Inserts a text, CDATA, comment or PI node (PI value: `target data`) at `index`; returns its id. */
export function insertText(
  doc: Y.Doc,
  parent: NodeId,
  index: number,
  value: string,
  kind: Exclude<CreatedKind, 'element'> = 'text',
): NodeId {
  const model = modelOf(doc);
  requireElement(model, parent);
  let id = '';
  doc.transact(() => {
    placeAt(doc, model, parent, index, null, false, (k) => {
      id = createNode(doc, model, { t: kind, p: parent, k }, value);
    });
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
    if (opts.tidy !== false && model.kind(id) !== 'text' && isBlank(doc, model, prev))
      write(model, removedKey(prev), 1);
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
