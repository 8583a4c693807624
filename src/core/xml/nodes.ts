/**
 * Reading the node model: the accessors editors and validation use. Node ids are stable
 * strings (see store.ts), valid on every replica. Values are returned decoded (references
 * resolved, line endings as LF), the way any XML parser would report them.
 */
import type * as Y from 'yjs';
import { modelOf } from './model.ts';
import type { NodeKind } from './parsed.ts';
import { decodeAttribute, decodeText } from './refs.ts';
import { contentSpan, sourceAttrs } from './parsed.ts';
import { DOCUMENT_ID, type NodeId } from './store.ts';

export interface XmlAttribute {
  name: string;
  value: string;
}

/** The document node (parent of the declaration, DOCTYPE, root element and top-level comments). */
export function documentNode(): NodeId {
  return DOCUMENT_ID;
}

/** The root element. */
export function rootElement(doc: Y.Doc): NodeId {
  const model = modelOf(doc);
  return model.children(DOCUMENT_ID).find((c) => model.kind(c) === 'element')!;
}

export function nodeKind(doc: Y.Doc, id: NodeId): NodeKind {
  return modelOf(doc).kind(id);
}

/** Element name, or null for other kinds. */
export function nodeName(doc: Y.Doc, id: NodeId): string | null {
  return modelOf(doc).name(id);
}

/** Parent node, or null for the document node. */
export function parentNode(doc: Y.Doc, id: NodeId): NodeId | null {
  return modelOf(doc).parent(id);
}

/** False for ids that were never created on this replica or that have been removed. */
export function nodeExists(doc: Y.Doc, id: NodeId): boolean {
  const model = modelOf(doc);
  if (!model.exists(id)) return false;
  for (let n: NodeId | null = id; n !== null; n = model.parent(n)) if (model.removed(n)) return false;
  return true;
}

/** All children (elements, text, comments...) in document order. */
export function childNodes(doc: Y.Doc, id: NodeId): NodeId[] {
  return modelOf(doc).children(id).slice();
}

/** Element children only, optionally those with a given name (case-sensitive). */
export function childElements(doc: Y.Doc, id: NodeId, name?: string): NodeId[] {
  const model = modelOf(doc);
  return model
    .children(id)
    .filter((c) => model.kind(c) === 'element' && (name === undefined || model.name(c) === name));
}

/** Attributes in their order in the file (new ones where they were inserted). */
export function attributes(doc: Y.Doc, id: NodeId): XmlAttribute[] {
  const model = modelOf(doc);
  return model.attributes(id).map((a) => ({ name: a.name, value: model.attrValue(a) }));
}

export function getAttribute(doc: Y.Doc, id: NodeId, name: string): string | null {
  const model = modelOf(doc);
  const a = model.attributes(id).find((x) => x.name === name);
  return a ? model.attrValue(a) : null;
}

/**
 * Element children of a node as the imported file has them, every edit since ignored (the
 * source is immutable, so the answer is the same on every replica at any time). [] for a
 * created node.
 */
export function importedChildElements(doc: Y.Doc, id: NodeId, name?: string): NodeId[] {
  const model = modelOf(doc);
  const out: NodeId[] = [];
  for (const c of model.sourceNode(id)?.children ?? []) {
    const node = model.parsed.nodes[c]!;
    if (node.kind !== 'element') continue;
    if (name !== undefined && model.parsed.text.slice(node.start + 1, node.nameEnd) !== name) continue;
    out.push(String(c));
  }
  return out;
}

/** Attributes as the imported file has them (edits ignored); [] for a created node. */
export function importedAttributes(doc: Y.Doc, id: NodeId): XmlAttribute[] {
  const model = modelOf(doc);
  const node = model.sourceNode(id);
  if (!node) return [];
  const text = model.parsed.text;
  return sourceAttrs(model.parsed, node).map((a) => ({
    name: text.slice(a.nameStart, a.nameEnd),
    value: decodeAttribute(text.slice(a.valueStart, a.valueEnd), model.parsed.entities),
  }));
}

/** An attribute as the imported file has it (edits ignored); null when it had none. */
export function importedAttribute(doc: Y.Doc, id: NodeId, name: string): string | null {
  return importedAttributes(doc, id).find((a) => a.name === name)?.value ?? null;
}

/**
 * Text of a node: for text and CDATA nodes their character data, for comments and PIs their
 * content, for an element the concatenated text and CDATA of its direct children.
 */
export function getText(doc: Y.Doc, id: NodeId): string {
  const model = modelOf(doc);
  const kind = model.kind(id);
  if (kind === 'element' || kind === 'document') {
    return model
      .children(id)
      .filter((c) => model.kind(c) === 'text' || model.kind(c) === 'cdata')
      .map((c) => getText(doc, c))
      .join('');
  }
  const edited = model.overlay.nodes.get(id)?.text;
  if (edited !== undefined) return edited;
  const node = model.sourceNode(id);
  if (!node) return '';
  const [from, to] = contentSpan(node);
  const raw = model.parsed.text.slice(from, to);
  return kind === 'text' ? decodeText(raw, model.parsed.entities) : raw.replace(/\r\n?/g, '\n');
}

/** A readable path such as `/AppSet/Section[2]/Bank[1]/Key[3]` (1-based among same-name siblings). */
export function nodePath(doc: Y.Doc, id: NodeId): string {
  const model = modelOf(doc);
  const parts: string[] = [];
  for (let n: NodeId | null = id; n !== null && n !== DOCUMENT_ID; n = model.parent(n)) {
    const parent = model.parent(n);
    const kind = model.kind(n);
    const label = kind === 'element' ? model.name(n)! : `${kind}()`;
    const same =
      parent === null
        ? [n]
        : model.children(parent).filter((c) => model.kind(c) === kind && model.name(c) === model.name(n));
    parts.push(same.length > 1 ? `${label}[${same.indexOf(n) + 1}]` : label);
  }
  return '/' + parts.reverse().join('/');
}

/** Line and column of an imported node in the file; null for nodes created after import. */
export function nodeLocation(doc: Y.Doc, id: NodeId): { line: number; column: number } | null {
  return modelOf(doc).location(id);
}
