/**
 * Applying edited XML text (the raw view) to the model as edits, not as a new import: the text
 * is parsed, its tree is diffed against the model as it stands NOW (tree-match.ts), and only
 * what differs is written, in one transaction (so one undo step when the caller wraps it in its
 * undoable edit). Unchanged nodes keep their ids and their source bytes, so the export differs
 * from the last one only where the text did, and a collaborator's concurrent edit of any node
 * the text left alone merges.
 *
 * What is kept from the model rather than the text, because XML gives it no meaning and the
 * model has no place for it: whitespace inside tags, the order of existing attributes, quote
 * style of existing attributes, how a value was escaped (`&#38;` and `&amp;` are the same
 * value). A renamed element is a removal and an insertion (its unchanged children move into the
 * new element with their ids). The XML declaration and the DOCTYPE cannot be changed here: they
 * decide how the file is stored and what its entities mean.
 *
 * Bounds (hostile text): the importer's size limit (MAX_XML_BYTES, counted as UTF-8), its
 * well-formedness and entity checks (parseXml), MAX_EDIT_DEPTH levels of nesting, and work
 * linear in the size of the text (tree-match.ts).
 */
import type * as Y from 'yjs';
import { canEncodeCodePoint } from './encoding.ts';
import { XmlError } from './errors.ts';
import { flatTreeOfModel, flatTreeOfParsed, sameSubtree, type FlatNode, type FlatTree } from './flat-tree.ts';
import { MAX_XML_BYTES } from './import-export.ts';
import { LineIndex } from './lines.ts';
import { modelOf, type XmlModel } from './model.ts';
import { gapPrefix, keyBetween, sourceKey } from './order-key.ts';
import { sourceAttrs, type ParsedXml } from './parsed.ts';
import { parseXml } from './parse.ts';
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
} from './store.ts';
import { matchChildren, type Slot } from './tree-match.ts';

/** Deeper nesting is refused: no console file comes near it, and the serialiser recurses per level. */
export const MAX_EDIT_DEPTH = 1000;

/** What an apply changed (elements and non-blank text; reindenting is not counted). */
export interface TextApplySummary {
  attributes: number;
  texts: number;
  added: number;
  removed: number;
  moved: number;
  /** Edit records written, reindenting included: 0 when the text meant what the document already held. */
  records: number;
}

/** Bytes of the text in UTF-8 (a surrogate pair is 4, each half counted 2). */
function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * Checks edited text the way an import checks a file (size, well-formedness, entities) plus the
 * nesting bound, and returns its parse. Throws XmlError with line and column.
 */
export function parseEditedXml(text: string): ParsedXml {
  const bytes = text.length > MAX_XML_BYTES ? text.length : utf8Length(text);
  if (bytes > MAX_XML_BYTES)
    throw new XmlError(
      `the text is ${(bytes / 1048576).toFixed(1)} MB; the limit is ${MAX_XML_BYTES / 1048576} MB, as for an imported file`,
    );
  const parsed = parseXml(text);
  const depth = new Int32Array(parsed.nodes.length);
  for (let i = 1; i < parsed.nodes.length; i++) {
    const node = parsed.nodes[i]!;
    depth[i] = depth[node.parent]! + 1;
    if (depth[i]! > MAX_EDIT_DEPTH) {
      const { line, column } = new LineIndex(text).locate(node.start);
      throw new XmlError(`elements are nested more than ${MAX_EDIT_DEPTH} levels deep`, line, column);
    }
  }
  return parsed;
}

const isBlank = (node: FlatNode) => node.kind === 'text' && /^[ \t\r\n]*$/.test(node.text);

/** Where a created or moved node goes: an existing node, or the index of a node created earlier in the same apply. */
type ParentRef = NodeId | number;

interface Plan {
  writes: Array<[string, unknown]>;
  creates: Array<{ n: number; parent: ParentRef; key: string }>;
  places: Array<{ id: NodeId; parent: ParentRef; key: string }>;
  summary: TextApplySummary;
}

/**
 * Makes the document's XML equal to `text` (as values: see the header for what is kept).
 * Throws XmlError with line and column, before changing anything, when the text is refused.
 */
export function applyXmlText(doc: Y.Doc, text: string): TextApplySummary {
  const parsed = parseEditedXml(text);
  const model = modelOf(doc);
  const before = flatTreeOfModel(model);
  const after = flatTreeOfParsed(parsed);
  const lines = new LineIndex(text);
  const fail = (reason: string, n: number): never => {
    const { line, column } = lines.locate(after.starts[n] ?? 0);
    throw new XmlError(reason, line, column);
  };
  checkFixedParts(before, after, fail);
  const plan = planEdits(model, before, after, fail);
  plan.summary.records = plan.writes.length + plan.creates.length + plan.places.length;
  if (plan.summary.records === 0) return plan.summary;
  doc.transact(() => write(doc, model, after, plan));
  return plan.summary;
}

/** The declaration and DOCTYPE must stay as they are (compared line endings aside). */
function checkFixedParts(before: FlatTree, after: FlatTree, fail: (reason: string, n: number) => never): void {
  const fixed = (t: FlatTree) =>
    t.nodes[0]!.children.filter((c) => t.nodes[c]!.kind === 'decl' || t.nodes[c]!.kind === 'doctype');
  const was = fixed(before);
  const now = fixed(after);
  for (let i = 0; i < Math.max(was.length, now.length); i++) {
    const a = was[i] === undefined ? undefined : before.nodes[was[i]!];
    const b = now[i] === undefined ? undefined : after.nodes[now[i]!];
    if (a && b && a.kind === b.kind && a.text === b.text) continue;
    const kind = (b ?? a)!.kind;
    const what =
      kind === 'decl'
        ? 'the XML declaration cannot be changed here (it says how the file is stored)'
        : 'the DOCTYPE cannot be changed here (it defines what the entities in the file mean)';
    fail(`${what}; import the changed file instead`, now[i] ?? after.nodes[0]!.children[0] ?? 0);
  }
}

function planEdits(
  model: XmlModel,
  before: FlatTree,
  after: FlatTree,
  fail: (reason: string, n: number) => never,
): Plan {
  const encoding = model.info.encoding;
  const writable = (s: string, n: number, what: string) => {
    for (const ch of s)
      if (!canEncodeCodePoint(ch.codePointAt(0)!, encoding))
        fail(`'${ch}' in ${what} cannot be written in this file's encoding (${encoding})`, n);
  };
  const plan: Plan = {
    writes: [],
    creates: [],
    places: [],
    summary: { attributes: 0, texts: 0, added: 0, removed: 0, moved: 0, records: 0 },
  };
  const { writes, summary } = plan;
  const suffix = model.doc.clientID.toString(36).padStart(7, '0') + 'i';
  const inserts: Array<{ n: number; parent: NodeId; key: string }> = [];
  const removedTops: number[] = [];

  const queue: Array<[number, number]> = [[0, 0]];
  while (queue.length) {
    const [o, n] = queue.pop()!;
    const id = before.ids[o]!;
    const was = before.nodes[o]!;
    const now = after.nodes[n]!;
    if (now.kind === 'element') diffAttributes(model, id, was, now, plan, (s, what) => writable(s, n, what));
    else if (now.kind !== 'document' && was.text !== now.text) {
      if (now.kind !== 'text') writable(now.text, n, `a ${now.kind}`);
      writes.push([textKey(id), now.text]);
      if (!isBlank(was) || !isBlank(now)) summary.texts++;
    }
    if (now.kind !== 'element' && now.kind !== 'document') continue;
    const match = matchChildren(before, o, after, n);
    removedTops.push(...match.removed);
    const keys = slotKeys(
      match.slots,
      (s) => (s.how === 'anchor' || s.how === 'paired' ? model.orderKey(before.ids[s.o]!) : null),
      suffix,
    );
    match.slots.forEach((s, j) => {
      if (s.how === 'paired') queue.push([s.o, s.n]);
      else if (s.how === 'moved') {
        plan.places.push({ id: before.ids[s.o]!, parent: id, key: keys[j]! });
        if (!isBlank(after.nodes[s.n]!)) summary.moved++;
      } else if (s.how === 'new') inserts.push({ n: s.n, parent: id, key: keys[j]! });
    });
  }

  const reuse = makeReusePool(before, after, removedTops);
  for (const top of inserts) {
    const stack: Array<{ n: number; parent: ParentRef; key: string }> = [top];
    while (stack.length) {
      const item = stack.pop()!;
      const node = after.nodes[item.n]!;
      const old = node.kind === 'element' ? reuse.take(item.n) : -1;
      if (old >= 0) {
        plan.places.push({ id: before.ids[old]!, parent: item.parent, key: item.key });
        summary.moved++;
        continue;
      }
      if (node.kind === 'decl' || node.kind === 'doctype')
        fail(`a ${node.kind === 'decl' ? 'declaration' : 'DOCTYPE'} cannot be added here`, item.n);
      if (node.kind === 'element') {
        writable(node.name, item.n, 'an element name');
        for (const a of node.attrs) writable(a.name, item.n, 'an attribute name');
        summary.added++;
      } else if (node.kind !== 'text') writable(node.text, item.n, `a ${node.kind}`);
      else if (!isBlank(node)) summary.texts++;
      const index = plan.creates.length;
      plan.creates.push(item);
      const kids = node.children;
      for (let i = kids.length - 1; i >= 0; i--)
        stack.push({ n: kids[i]!, parent: index, key: sourceKey(i, kids.length) + suffix });
    }
  }
  for (const o of removedTops) {
    if (reuse.reused.has(o)) continue;
    writes.push([removedKey(before.ids[o]!), 1]);
    if (!isBlank(before.nodes[o]!)) summary.removed++;
  }
  return plan;
}

/**
 * Order keys for the new children: kept ones keep theirs; each run of placed ones (moved or
 * new) gets evenly spread keys inside the gap between its kept neighbours, ending in this
 * device's suffix so a collaborator inserting at the same place at the same time gets other keys.
 */
function slotKeys(slots: Slot[], kept: (s: Slot) => string | null, suffix: string): Array<string> {
  const keys = slots.map(kept);
  for (let j = 0; j < keys.length;) {
    if (keys[j] !== null) {
      j++;
      continue;
    }
    let end = j;
    while (end < keys.length && keys[end] === null) end++;
    const prev = j > 0 ? keys[j - 1]! : null;
    const next = end < keys.length ? keys[end]! : null;
    // Equal neighbour keys (a tie broken by node id) leave no gap; open it upwards instead.
    const prefix = gapPrefix(prev, next !== null && prev !== null && next <= prev ? null : next);
    for (let i = j; i < end; i++) keys[i] = prefix + sourceKey(i - j, end - j) + suffix;
    j = end;
  }
  return keys as string[];
}

function diffAttributes(
  model: XmlModel,
  id: NodeId,
  was: FlatNode,
  now: FlatNode,
  plan: Plan,
  writable: (s: string, what: string) => void,
): void {
  const effective = model.attributes(id);
  const byName = new Map(effective.map((a) => [a.name, a]));
  const oldValue = new Map(was.attrs.map((a) => [a.name, a.value]));
  const keep = new Set(now.attrs.map((a) => a.name));
  const node = model.sourceNode(id);
  const inSource = new Set(
    node ? sourceAttrs(model.parsed, node).map((a) => model.parsed.text.slice(a.nameStart, a.nameEnd)) : [],
  );
  for (const a of effective)
    if (!keep.has(a.name)) {
      plan.writes.push([attrKey(id, a.name), { d: 1 } satisfies AttrEdit]);
      plan.summary.attributes++;
    }
  let prevKey: string | null = null;
  for (const a of now.attrs) {
    const e = byName.get(a.name);
    if (e) {
      if (oldValue.get(a.name) !== a.value) {
        plan.writes.push([attrKey(id, a.name), { ...(e.edit ?? {}), v: a.value } satisfies AttrEdit]);
        plan.summary.attributes++;
      }
      prevKey = e.key;
      continue;
    }
    writable(a.name, 'an attribute name');
    plan.summary.attributes++;
    // A source attribute comes back at its place in the file; a new one goes where it was typed.
    if (inSource.has(a.name)) {
      plan.writes.push([attrKey(id, a.name), { v: a.value } satisfies AttrEdit]);
      continue;
    }
    const next = effective.find((x) => keep.has(x.name) && (prevKey === null || x.key > prevKey))?.key ?? null;
    const k = keyBetween(prevKey, next);
    plan.writes.push([attrKey(id, a.name), { v: a.value, q: a.quote, k } satisfies AttrEdit]);
    prevKey = k;
  }
}

/**
 * Elements of removed subtrees, by hash, for new subtrees equal to one of them: such a subtree
 * was moved (to another parent, or into a renamed element) and keeps its ids. Once a node is
 * reused, nothing inside it or around it in its removed subtree can be reused again.
 */
function makeReusePool(before: FlatTree, after: FlatTree, removedTops: number[]) {
  const available = new Uint8Array(before.nodes.length);
  const byHash = new Map<number, number[]>();
  const reused = new Set<number>();
  const stack = [...removedTops];
  while (stack.length) {
    const o = stack.pop()!;
    const node = before.nodes[o]!;
    if (node.kind !== 'element') continue;
    available[o] = 1;
    const list = byHash.get(node.hash);
    if (list) list.push(o);
    else byHash.set(node.hash, [o]);
    stack.push(...node.children);
  }
  return {
    reused,
    take(n: number): number {
      const list = byHash.get(after.nodes[n]!.hash);
      const o = list?.find((x) => available[x] && sameSubtree(before, x, after, n));
      if (o === undefined) return -1;
      reused.add(o);
      for (let p = o; p >= 0 && available[p]; p = before.nodes[p]!.parent) available[p] = 0;
      const inside = [...before.nodes[o]!.children];
      while (inside.length) {
        const c = inside.pop()!;
        available[c] = 0;
        inside.push(...before.nodes[c]!.children);
      }
      return o;
    },
  };
}

function write(doc: Y.Doc, model: XmlModel, after: FlatTree, plan: Plan): void {
  const edits = model.edits;
  for (const [key, value] of plan.writes) edits.set(key, value);
  const ids: NodeId[] = [];
  const parentId = (p: ParentRef) => (typeof p === 'number' ? ids[p]! : p);
  for (const c of plan.creates) {
    // The clock moves with every write, so each id is taken right before its first record.
    const id = newNodeId(doc);
    ids.push(id);
    const node = after.nodes[c.n]!;
    const kind = node.kind as CreatedKind;
    edits.set(createdKey(id), {
      t: kind,
      p: parentId(c.parent),
      k: c.key,
      ...(kind === 'element' ? { name: node.name } : {}),
    } satisfies Created);
    if (kind !== 'element') edits.set(textKey(id), node.text);
    else
      node.attrs.forEach((a, i) =>
        edits.set(attrKey(id, a.name), {
          v: a.value,
          q: a.quote,
          k: sourceKey(i, node.attrs.length),
        } satisfies AttrEdit),
      );
  }
  for (const p of plan.places) edits.set(placeKey(p.id), { p: parentId(p.parent), k: p.key });
  model.invalidate();
}
