/**
 * The parse of a source text: every node as offsets into that text, nothing copied. Unedited
 * nodes are written back as their source slice, which is what keeps export byte-identical;
 * edited nodes are rebuilt from these offsets (see serialise.ts), so the trivia around an edit
 * (whitespace in the tag, quote style, the other attributes) still comes from the source.
 */
export type NodeKind = 'document' | 'element' | 'text' | 'cdata' | 'comment' | 'pi' | 'doctype' | 'decl';

/** One attribute, `start` at the whitespace before its name, `end` after its closing quote. */
export interface ParsedAttr {
  start: number;
  nameStart: number;
  nameEnd: number;
  valueStart: number;
  valueEnd: number;
  end: number;
  /** '"' or "'" as written. */
  quote: '"' | "'";
}

/** A node of the source. Node 0 is the document; a node's index is its id in the model. */
export interface ParsedNode {
  kind: NodeKind;
  start: number;
  end: number;
  parent: number;
  /** Child node indexes in source order (document and element only). */
  children: number[] | null;
  /** Element: end of the tag name (`start + 1` is its start). */
  nameEnd: number;
  /** Element: index of its first attribute in `ParsedXml.attrData` (6 numbers each), and how many. */
  attrFirst: number;
  attrCount: number;
  /** Element: offset just after the start tag's `>` (or `/>`). */
  tagEnd: number;
  /** Element: offset of `</`, or -1 when self-closing. */
  endTagStart: number;
}

/** A general entity declared in the internal DTD subset; `value` is null for an external one (never fetched). */
export interface EntityDecl {
  value: string | null;
}

export interface ParsedXml {
  text: string;
  nodes: ParsedNode[];
  /**
   * All attributes of the file, 6 offsets each (start, nameStart, nameEnd, valueStart, valueEnd,
   * end): a flat typed array instead of an object per attribute keeps a 10 MB file's parse small.
   */
  attrData: Int32Array;
  entities: Map<string, EntityDecl>;
  /** The first line ending in the file (LF when there is none): what new lines in edited text use. */
  newline: string;
}

/** The attributes of an element as objects (made on demand; only for nodes being read or rebuilt). */
export function sourceAttrs(parsed: ParsedXml, node: ParsedNode): ParsedAttr[] {
  const out: ParsedAttr[] = [];
  const d = parsed.attrData;
  for (let i = 0; i < node.attrCount; i++) {
    const o = (node.attrFirst + i) * 6;
    const valueStart = d[o + 3]!;
    out.push({
      start: d[o]!,
      nameStart: d[o + 1]!,
      nameEnd: d[o + 2]!,
      valueStart,
      valueEnd: d[o + 4]!,
      end: d[o + 5]!,
      quote: parsed.text[valueStart - 1] === "'" ? "'" : '"',
    });
  }
  return out;
}

/** Offsets where the content of a comment, CDATA section or PI starts and ends. */
export function contentSpan(node: ParsedNode): [number, number] {
  switch (node.kind) {
    case 'comment':
      return [node.start + 4, node.end - 3];
    case 'cdata':
      return [node.start + 9, node.end - 3];
    case 'pi':
    case 'decl':
      return [node.start + 2, node.end - 2];
    default:
      return [node.start, node.end];
  }
}
