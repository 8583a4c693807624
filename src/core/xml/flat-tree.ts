/**
 * Two XML trees in one shape, so a text edit can be diffed against the model (text-apply.ts):
 * the model as it now stands (node ids, edits folded in) and the parse of a text. Values are
 * compared as an XML parser reports them (references decoded, line endings as LF), so a
 * textarea's LF-only copy of a CRLF file, or `&#38;` typed for `&amp;`, is not a change.
 *
 * Every node gets a hash of its whole subtree (kind, name, attributes in order, text,
 * children), computed bottom-up without recursion: the parse is in document order, so walking
 * it backwards meets children before their parents. Equal hashes are confirmed by `sameSubtree`
 * before anyone relies on them.
 */
import type { XmlModel } from './model.ts';
import { contentSpan, sourceAttrs, type NodeKind, type ParsedXml } from './parsed.ts';
import { decodeAttribute, decodeText } from './refs.ts';
import { getText } from './nodes.ts';
import { serialiseNode } from './serialise.ts';
import { DOCUMENT_ID, type NodeId, type Quote } from './store.ts';

export interface FlatAttr {
  name: string;
  value: string;
  quote: Quote;
}

export interface FlatNode {
  kind: NodeKind;
  /** Element name; '' for other kinds. */
  name: string;
  attrs: FlatAttr[];
  /** Text, comment, CDATA and PI content (LF line endings); DOCTYPE and declaration as written; '' for elements. */
  text: string;
  children: number[];
  parent: number;
  hash: number;
}

export interface FlatTree {
  nodes: FlatNode[];
  /** Model trees: the node id of each node. Parsed trees: the node's offset in the text. */
  ids: NodeId[];
  starts: number[];
}

const lf = (s: string) => s.replace(/\r\n?/g, '\n');

/** The model's visible tree (removed nodes left out), in document order. */
export function flatTreeOfModel(model: XmlModel): FlatTree {
  const doc = model.doc;
  const nodes: FlatNode[] = [];
  const ids: NodeId[] = [];
  const stack: Array<[NodeId, number]> = [[DOCUMENT_ID, -1]];
  while (stack.length) {
    const [id, parent] = stack.pop()!;
    const index = nodes.length;
    const kind = model.kind(id);
    const node: FlatNode = { kind, name: '', attrs: [], text: '', children: [], parent, hash: 0 };
    if (kind === 'element') {
      node.name = model.name(id)!;
      node.attrs = model.attributes(id).map((a) => ({ name: a.name, value: model.attrValue(a), quote: a.quote }));
    } else if (kind === 'doctype' || kind === 'decl') node.text = lf(serialiseNode(model, id));
    else if (kind !== 'document') node.text = getText(doc, id);
    nodes.push(node);
    ids.push(id);
    if (parent >= 0) nodes[parent]!.children.push(index);
    const children = kind === 'element' || kind === 'document' ? model.children(id) : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, index]);
  }
  hashAll(nodes);
  return { nodes, ids, starts: [] };
}

/** The tree of a parse. */
export function flatTreeOfParsed(parsed: ParsedXml): FlatTree {
  const text = parsed.text;
  const nodes = parsed.nodes.map((p): FlatNode => {
    const node: FlatNode = {
      kind: p.kind,
      name: '',
      attrs: [],
      text: '',
      children: p.children ?? [],
      parent: p.parent,
      hash: 0,
    };
    if (p.kind === 'element') {
      node.name = text.slice(p.start + 1, p.nameEnd);
      node.attrs = sourceAttrs(parsed, p).map((a) => ({
        name: text.slice(a.nameStart, a.nameEnd),
        value: decodeAttribute(text.slice(a.valueStart, a.valueEnd), parsed.entities),
        quote: a.quote,
      }));
    } else if (p.kind === 'text') node.text = decodeText(text.slice(p.start, p.end), parsed.entities);
    else if (p.kind === 'doctype' || p.kind === 'decl') node.text = lf(text.slice(p.start, p.end));
    else if (p.kind !== 'document') {
      const [from, to] = contentSpan(p);
      node.text = lf(text.slice(from, to));
    }
    return node;
  });
  hashAll(nodes);
  return { nodes, ids: [], starts: parsed.nodes.map((p) => p.start) };
}

const KINDS: NodeKind[] = ['document', 'element', 'text', 'cdata', 'comment', 'pi', 'doctype', 'decl'];

/** Two 32-bit string hashes folded into one exactly representable 53-bit number. */
class Hasher {
  private a = 0x811c9dc5;
  private b = 0x9747b28c;
  num(n: number): void {
    this.a = Math.imul(this.a ^ n, 0x01000193);
    this.b = Math.imul(this.b ^ (n >>> 16) ^ (n << 5), 0x5bd1e995);
  }
  str(s: string): void {
    for (let i = 0; i < s.length; i++) this.num(s.charCodeAt(i));
    this.num(0x110000 + s.length);
  }
  value(): number {
    return (this.a >>> 0) * 0x200000 + ((this.b >>> 11) & 0x1fffff);
  }
}

/** Children come after their parent in `nodes`, so a backwards walk hashes every child first. */
function hashAll(nodes: FlatNode[]): void {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const h = new Hasher();
    h.num(KINDS.indexOf(node.kind));
    h.str(node.name);
    for (const a of node.attrs) {
      h.str(a.name);
      h.str(a.value);
    }
    h.str(node.text);
    for (const c of node.children) {
      const ch = nodes[c]!.hash;
      h.num(ch % 0x200000);
      h.num(Math.floor(ch / 0x200000));
    }
    node.hash = h.value();
  }
}

/** Same kind, name, attribute values (in order) and text, with no regard to children. */
export function sameNode(a: FlatNode, b: FlatNode): boolean {
  if (a.kind !== b.kind || a.name !== b.name || a.text !== b.text || a.attrs.length !== b.attrs.length) return false;
  for (let i = 0; i < a.attrs.length; i++)
    if (a.attrs[i]!.name !== b.attrs[i]!.name || a.attrs[i]!.value !== b.attrs[i]!.value) return false;
  return true;
}

/** Whether two subtrees are equal node for node (the check behind an equal hash). Iterative. */
export function sameSubtree(ta: FlatTree, a: number, tb: FlatTree, b: number): boolean {
  if (ta.nodes[a]!.hash !== tb.nodes[b]!.hash) return false;
  const stack = [a, b];
  while (stack.length) {
    const y = stack.pop()!;
    const x = stack.pop()!;
    const nx = ta.nodes[x]!;
    const ny = tb.nodes[y]!;
    if (!sameNode(nx, ny) || nx.children.length !== ny.children.length) return false;
    for (let i = 0; i < nx.children.length; i++) stack.push(nx.children[i]!, ny.children[i]!);
  }
  return true;
}
