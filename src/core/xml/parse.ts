/**
 * The tokenizer/parser: one pass over decoded text, recording every node and attribute as
 * offsets (see parsed.ts) so that nothing of the source is lost: declaration, DOCTYPE,
 * comments, PIs, CDATA, references as written, attribute order and quotes, whitespace in tags
 * and between nodes, self-closing versus empty elements, line endings. Characters XML 1.0
 * forbids are kept as text. Unknown entity references and a bare `&` are kept as written.
 *
 * Refused as malformed, with line and column: mismatched or unclosed tags, bad attribute
 * syntax (missing `=`, unquoted or unterminated value, no whitespace between attributes,
 * duplicate names), unterminated comments/CDATA/PIs, text or a second element outside the root.
 * Pure TypeScript: no DOM, no Node APIs.
 */
import { checkEntityExpansion, scanDoctype, type Fail } from './doctype.ts';
import { XmlError } from './errors.ts';
import { LineIndex } from './lines.ts';
import type { EntityDecl, NodeKind, ParsedNode, ParsedXml } from './parsed.ts';

const LT = 60,
  GT = 62,
  SLASH = 47,
  EQ = 61,
  QUOT = 34,
  APOS = 39,
  QMARK = 63,
  BANG = 33;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

function isNameEnd(c: number): boolean {
  return (
    c === 32 ||
    c === 10 ||
    c === 9 ||
    c === 13 ||
    c === SLASH ||
    c === GT ||
    c === EQ ||
    c === LT ||
    c === QUOT ||
    c === APOS ||
    Number.isNaN(c)
  );
}

function newNode(kind: NodeKind, start: number, end: number, parent: number): ParsedNode {
  return {
    kind,
    start,
    end,
    parent,
    children: null,
    nameEnd: 0,
    attrFirst: 0,
    attrCount: 0,
    tagEnd: 0,
    endTagStart: -1,
  };
}

/** Parses decoded XML text. Throws XmlError (with line and column) for malformed input. */
export function parseXml(text: string): ParsedXml {
  const lines = new LineIndex(text);
  const fail: Fail = (reason, offset) => {
    const { line, column } = lines.locate(offset);
    throw new XmlError(reason, line, column);
  };
  const nodes: ParsedNode[] = [newNode('document', 0, text.length, -1)];
  nodes[0]!.children = [];
  let entities = new Map<string, EntityDecl>();
  const stack: number[] = [0];
  let rootSeen = false;
  let doctypeSeen = false;
  let pos = 0;
  const n = text.length;
  let attrData = new Int32Array(Math.max(60, (n >> 4) * 6));
  let attrTotal = 0;
  // Names of the current start tag's attributes: a duplicate check linear in their number
  // (comparing with every earlier attribute made a crafted 25,000-attribute tag take minutes).
  const attrNames = new Set<string>();

  const add = (node: ParsedNode): number => {
    const index = nodes.length;
    nodes.push(node);
    nodes[node.parent]!.children!.push(index);
    return index;
  };
  const closeAt = (terminator: string, from: number, what: string, start: number): number => {
    const close = text.indexOf(terminator, from);
    if (close < 0) fail(`unterminated ${what}`, start);
    return close + terminator.length;
  };
  const nameEndAt = (from: number): number => {
    let i = from;
    while (i < n && !isNameEnd(text.charCodeAt(i))) i++;
    return i;
  };

  while (pos < n) {
    const parent = stack[stack.length - 1]!;
    const atTop = stack.length === 1;
    if (text.charCodeAt(pos) !== LT) {
      let end = text.indexOf('<', pos);
      if (end < 0) end = n;
      if (atTop) {
        for (let i = pos; i < end; i++)
          if (!isSpace(text.charCodeAt(i)))
            fail(rootSeen ? 'text after the root element' : 'text before the root element', i);
      }
      add(newNode('text', pos, end, parent));
      pos = end;
      continue;
    }
    const next = text.charCodeAt(pos + 1);
    if (next === BANG) {
      if (text.startsWith('<!--', pos)) {
        const end = closeAt('-->', pos + 4, 'comment (missing "-->")', pos);
        add(newNode('comment', pos, end, parent));
        pos = end;
      } else if (text.startsWith('<![CDATA[', pos)) {
        if (atTop) fail('CDATA section outside the root element', pos);
        const end = closeAt(']]>', pos + 9, 'CDATA section (missing "]]>")', pos);
        add(newNode('cdata', pos, end, parent));
        pos = end;
      } else if (text.startsWith('<!DOCTYPE', pos)) {
        if (!atTop || rootSeen || doctypeSeen) fail('DOCTYPE is only allowed once, before the root element', pos);
        doctypeSeen = true;
        const scanned = scanDoctype(text, pos, fail);
        checkEntityExpansion(scanned.entities, scanned.declaredAt, fail);
        entities = scanned.entities;
        add(newNode('doctype', pos, scanned.end, parent));
        pos = scanned.end;
      } else {
        fail('unexpected "<!" (expected a comment, CDATA section or DOCTYPE)', pos);
      }
      continue;
    }
    if (next === QMARK) {
      const end = closeAt('?>', pos + 2, 'processing instruction (missing "?>")', pos);
      const target = text.slice(pos + 2, nameEndAt(pos + 2));
      if (!target) fail('processing instruction without a target name', pos);
      const isDecl = target === 'xml';
      // Tolerated: whitespace before the declaration (a strict parser refuses it; nothing is lost by reading it).
      if (isDecl && (!atTop || nodes[0]!.children!.some((c) => nodes[c]!.kind !== 'text')))
        fail('the XML declaration must be at the start of the file', pos);
      add(newNode(isDecl ? 'decl' : 'pi', pos, end, parent));
      pos = end;
      continue;
    }
    if (next === SLASH) {
      const nameEnd = nameEndAt(pos + 2);
      const name = text.slice(pos + 2, nameEnd);
      if (atTop) fail(`end tag </${name}> without a matching start tag`, pos);
      const open = nodes[parent]!;
      const openName = text.slice(open.start + 1, open.nameEnd);
      if (name !== openName) {
        const where = lines.locate(open.start);
        fail(`mismatched end tag </${name}>: expected </${openName}> (opened at ${where.line}:${where.column})`, pos);
      }
      let i = nameEnd;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== GT) fail(`expected ">" to close the end tag </${name}>`, i);
      open.endTagStart = pos;
      open.end = i + 1;
      stack.pop();
      pos = i + 1;
      continue;
    }
    // Start tag.
    if (atTop && rootSeen) fail('a second root element (a document has exactly one)', pos);
    const nameEnd = nameEndAt(pos + 1);
    if (nameEnd === pos + 1) fail('expected an element name after "<"', pos + 1);
    const el = newNode('element', pos, 0, parent);
    el.nameEnd = nameEnd;
    el.children = [];
    el.attrFirst = attrTotal;
    let i = nameEnd;
    let selfClosing = false;
    attrNames.clear();
    for (;;) {
      const wsStart = i;
      while (i < n && isSpace(text.charCodeAt(i))) i++;
      if (i >= n) fail(`unclosed start tag <${text.slice(pos + 1, nameEnd)}>`, pos);
      const c = text.charCodeAt(i);
      if (c === GT) {
        i++;
        break;
      }
      if (c === SLASH) {
        if (text.charCodeAt(i + 1) !== GT) fail('expected ">" after "/" in a tag', i + 1);
        i += 2;
        selfClosing = true;
        break;
      }
      if (i === wsStart) fail('attributes must be separated by whitespace', i);
      const an = nameEndAt(i);
      if (an === i) fail(`unexpected character '${text[i]}' in a tag`, i);
      let j = an;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== EQ) fail(`attribute '${text.slice(i, an)}' has no value (expected "=")`, j);
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q !== QUOT && q !== APOS) fail(`value of attribute '${text.slice(i, an)}' must be in quotes`, j);
      const close = text.indexOf(q === QUOT ? '"' : "'", j + 1);
      if (close < 0) fail(`unterminated value of attribute '${text.slice(i, an)}'`, j);
      const attrName = text.slice(i, an);
      if (attrNames.has(attrName)) fail(`duplicate attribute '${attrName}'`, i);
      attrNames.add(attrName);
      if ((attrTotal + 1) * 6 > attrData.length) {
        const grown = new Int32Array(attrData.length * 2);
        grown.set(attrData);
        attrData = grown;
      }
      attrData.set([wsStart, i, an, j + 1, close, close + 1], attrTotal * 6);
      attrTotal++;
      i = close + 1;
    }
    el.attrCount = attrTotal - el.attrFirst;
    el.tagEnd = i;
    const index = add(el);
    if (atTop) rootSeen = true;
    if (selfClosing) el.end = i;
    else stack.push(index);
    pos = i;
  }
  if (stack.length > 1) {
    const open = nodes[stack[stack.length - 1]!]!;
    fail(`unclosed element <${text.slice(open.start + 1, open.nameEnd)}> (missing its end tag)`, open.start);
  }
  if (!rootSeen) fail('no root element', n);
  return { text, nodes, attrData: attrData.slice(0, attrTotal * 6), entities, newline: firstNewline(text) };
}

function firstNewline(text: string): string {
  const i = text.search(/\r\n?|\n/);
  if (i < 0) return '\n';
  return text.charCodeAt(i) === 13 ? (text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r') : '\n';
}
