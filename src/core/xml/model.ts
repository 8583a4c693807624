/**
 * XmlModel: the read side of the node model of one Y.Doc — the parse of the stored source plus
 * the folded edit log (overlay.ts) — answering "what are this node's children, attributes,
 * text" for the accessors and the serialiser. One model is cached per Y.Doc; the overlay is
 * rebuilt lazily after the 'edits' map changes (local writes, remote updates, undo).
 */
import type * as Y from 'yjs';
import { XmlError } from './errors.ts';
import { decodeXmlBytes, type TextEncodingInfo } from './encoding.ts';
import { LineIndex } from './lines.ts';
import { buildOverlay, isSourceId, type Overlay } from './overlay.ts';
import { parseXml } from './parse.ts';
import { decodeAttribute } from './refs.ts';
import { sourceKey } from './order-key.ts';
import { sourceAttrs, type NodeKind, type ParsedAttr, type ParsedNode, type ParsedXml } from './parsed.ts';
import { editsOf, xmlRoot, type AttrEdit, type NodeId, type Quote, type StoredInfo } from './store.ts';

/** An attribute as it now stands: from the source, edited, or added after import. */
export interface EffectiveAttr {
  name: string;
  key: string;
  source: ParsedAttr | null;
  edit: AttrEdit | null;
  quote: Quote;
}

export class XmlModel {
  readonly lines: LineIndex;
  private overlayCache: Overlay | null = null;
  private childCache = new Map<NodeId, NodeId[]>();
  private childPos: Int32Array;

  constructor(
    readonly doc: Y.Doc,
    readonly source: Uint8Array,
    readonly parsed: ParsedXml,
    readonly info: StoredInfo,
    readonly edits: Y.Map<unknown>,
  ) {
    this.lines = new LineIndex(parsed.text);
    this.childPos = new Int32Array(parsed.nodes.length);
    for (const node of parsed.nodes)
      node.children?.forEach((c, i) => {
        this.childPos[c] = i;
      });
    // Before any observer runs (not in this map's own observer), so that an observer of another
    // map reading the XML after a remote update already reads the new state.
    doc.on('beforeObserverCalls', (tr: Y.Transaction) => {
      if (tr.changed.has(edits as never)) this.invalidate();
    });
  }

  get encoding(): TextEncodingInfo {
    return { encoding: this.info.encoding, bom: this.info.bom, declared: this.info.declared };
  }

  invalidate(): void {
    this.overlayCache = null;
    this.childCache.clear();
  }

  get overlay(): Overlay {
    return (this.overlayCache ??= buildOverlay(this.parsed, this.edits.entries() as Iterable<[string, unknown]>));
  }

  sourceNode(id: NodeId): ParsedNode | null {
    return isSourceId(id) ? (this.parsed.nodes[Number(id)] ?? null) : null;
  }

  exists(id: NodeId): boolean {
    return isSourceId(id)
      ? this.parsed.nodes[Number(id)] !== undefined
      : this.overlay.nodes.get(id)?.created !== undefined;
  }

  kind(id: NodeId): NodeKind {
    const node = this.sourceNode(id);
    if (node) return node.kind;
    const created = this.overlay.nodes.get(id)?.created;
    if (!created) throw new Error(`no XML node with id ${id}`);
    return created.t;
  }

  name(id: NodeId): string | null {
    const node = this.sourceNode(id);
    if (node) return node.kind === 'element' ? this.parsed.text.slice(node.start + 1, node.nameEnd) : null;
    return this.overlay.nodes.get(id)?.created?.name ?? null;
  }

  removed(id: NodeId): boolean {
    return this.overlay.nodes.get(id)?.removed === true;
  }

  parent(id: NodeId): NodeId | null {
    const o = this.overlay.parentOverride.get(id);
    if (o !== undefined) return o;
    const node = this.sourceNode(id);
    return node && node.parent >= 0 ? String(node.parent) : null;
  }

  orderKey(id: NodeId): string {
    const e = this.overlay.nodes.get(id);
    const k = e?.place?.k ?? e?.created?.k;
    if (k !== undefined) return k;
    const node = this.parsed.nodes[Number(id)]!;
    return sourceKey(this.childPos[Number(id)]!, this.parsed.nodes[node.parent]!.children!.length);
  }

  /** Children in document order, removed ones left out. */
  children(id: NodeId): NodeId[] {
    const cached = this.childCache.get(id);
    if (cached) return cached;
    const ov = this.overlay;
    const base = this.sourceNode(id)?.children ?? [];
    let list: NodeId[];
    if (!ov.touched.has(id)) list = base.map(String);
    else {
      list = base.map(String).filter((c) => this.parent(c) === id);
      list.push(...(ov.movedIn.get(id) ?? []));
      list = list.filter((c) => !this.removed(c));
      const keys = new Map(list.map((c) => [c, this.orderKey(c)]));
      list.sort((a, b) => {
        const ka = keys.get(a)!,
          kb = keys.get(b)!;
        return ka < kb ? -1 : ka > kb ? 1 : a < b ? -1 : a > b ? 1 : 0;
      });
    }
    this.childCache.set(id, list);
    return list;
  }

  /** Attributes in order, removed ones left out. */
  attributes(id: NodeId): EffectiveAttr[] {
    const text = this.parsed.text;
    const node = this.sourceNode(id);
    const edits = this.overlay.nodes.get(id)?.attrs;
    const out: EffectiveAttr[] = [];
    const source = node ? sourceAttrs(this.parsed, node) : [];
    const count = source.length;
    source.forEach((a, i) => {
      const name = text.slice(a.nameStart, a.nameEnd);
      const edit = edits?.get(name) ?? null;
      if (!edit?.d) out.push({ name, key: sourceKey(i, count), source: a, edit, quote: a.quote });
    });
    if (!edits) return out;
    let added = false;
    for (const [name, edit] of edits) {
      if (edit.d || out.some((a) => a.name === name)) continue;
      if (source.some((a) => text.slice(a.nameStart, a.nameEnd) === name)) continue;
      out.push({ name, key: edit.k ?? 'zzzz', source: null, edit, quote: edit.q ?? '"' });
      added = true;
    }
    if (added) out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.name < b.name ? -1 : 1));
    return out;
  }

  attrValue(a: EffectiveAttr): string {
    if (a.edit?.v !== undefined) return a.edit.v;
    return a.source
      ? decodeAttribute(this.parsed.text.slice(a.source.valueStart, a.source.valueEnd), this.parsed.entities)
      : '';
  }

  /** 1-based line and column of an imported node in the source; null for created nodes. */
  location(id: NodeId): { line: number; column: number } | null {
    const node = this.sourceNode(id);
    return node ? this.lines.locate(node.start) : null;
  }
}

const models = new WeakMap<Y.Doc, XmlModel>();

/** Seeds the cache after import so the freshly parsed tree is not parsed again. */
export function rememberModel(model: XmlModel): void {
  models.set(model.doc, model);
}

/** The model of a doc holding an imported XML file; parses the stored source on first use. */
export function modelOf(doc: Y.Doc): XmlModel {
  const root = xmlRoot(doc);
  const source = root.get('source');
  const edits = editsOf(doc);
  const cached = models.get(doc);
  if (cached && cached.source === source && cached.edits === edits) return cached;
  if (!(source instanceof Uint8Array) || !edits) throw new XmlError('this document holds no imported XML file');
  const info = root.get('info') as StoredInfo;
  const { text } = decodeXmlBytes(source);
  const model = new XmlModel(doc, source, parseXml(text), info, edits);
  models.set(doc, model);
  return model;
}
