/**
 * Model -> text. A node that is not dirty (no edit in it or below it) is its source slice,
 * byte for byte. A dirty imported element is rebuilt from its own source pieces: the tag name,
 * each unchanged attribute with the whitespace before it, the whitespace before `>` or `/>`,
 * and its end tag as written; only an edited value is re-escaped (with its original quote).
 * A self-closing element that gains children gets an end tag; one that had an end tag keeps
 * it even when emptied. Created nodes are written plainly (`name="value"`, double quotes).
 * Never uses Y.XmlElement.toString (it sorts attributes and does not escape).
 */
import type { XmlModel } from './model.ts';
import { escapeAttribute, escapeText, sanitiseMarkupContent } from './refs.ts';
import type { NodeId } from './store.ts';

export function serialiseModel(model: XmlModel): string {
  const out: string[] = [];
  writeNode(model, '0', out);
  return out.join('');
}

/** Text of one node (and its subtree) as it would be exported. */
export function serialiseNode(model: XmlModel, id: NodeId): string {
  const out: string[] = [];
  writeNode(model, id, out);
  return out.join('');
}

function writeNode(model: XmlModel, id: NodeId, out: string[]): void {
  const text = model.parsed.text;
  const node = model.sourceNode(id);
  const ov = model.overlay;
  if (node && !ov.dirty.has(id)) {
    out.push(text.slice(node.start, node.end));
    return;
  }
  const kind = model.kind(id);
  const edits = ov.nodes.get(id);
  const encoding = model.info.encoding;
  switch (kind) {
    case 'document':
      for (const c of model.children(id)) writeNode(model, c, out);
      return;
    case 'element':
      writeElement(model, id, out);
      return;
    case 'text':
      out.push(
        edits?.text !== undefined
          ? escapeText(edits.text, model.parsed.newline, encoding)
          : node
            ? text.slice(node.start, node.end)
            : '',
      );
      return;
    case 'cdata':
    case 'comment':
    case 'pi': {
      if (edits?.text === undefined && node) {
        out.push(text.slice(node.start, node.end));
        return;
      }
      const body = sanitiseMarkupContent(kind, edits?.text ?? '');
      out.push(kind === 'cdata' ? `<![CDATA[${body}]]>` : kind === 'comment' ? `<!--${body}-->` : `<?${body}?>`);
      return;
    }
    default:
      if (node) out.push(text.slice(node.start, node.end));
  }
}

function writeElement(model: XmlModel, id: NodeId, out: string[]): void {
  const text = model.parsed.text;
  const node = model.sourceNode(id);
  const name = model.name(id)!;
  const encoding = model.info.encoding;
  out.push(node ? text.slice(node.start, node.nameEnd) : `<${name}`);
  for (const a of model.attributes(id)) {
    if (a.source && a.edit?.v === undefined) out.push(text.slice(a.source.start, a.source.end));
    else if (a.source)
      out.push(
        text.slice(a.source.start, a.source.valueStart),
        escapeAttribute(a.edit!.v!, a.quote, encoding),
        a.quote,
      );
    else out.push(` ${a.name}=${a.quote}${escapeAttribute(a.edit?.v ?? '', a.quote, encoding)}${a.quote}`);
  }
  const children = model.children(id);
  if (!node) {
    if (children.length === 0) {
      out.push('/>');
      return;
    }
    out.push('>');
    for (const c of children) writeNode(model, c, out);
    out.push(`</${name}>`);
    return;
  }
  const lastAttr =
    node.attrCount > 0 ? model.parsed.attrData[(node.attrFirst + node.attrCount - 1) * 6 + 5]! : node.nameEnd;
  const tail = text.slice(lastAttr, node.tagEnd);
  if (node.endTagStart < 0) {
    if (children.length === 0) {
      out.push(tail);
      return;
    }
    out.push(tail.slice(0, -2).replace(/\s+$/, '') + '>');
    for (const c of children) writeNode(model, c, out);
    out.push(`</${name}>`);
    return;
  }
  out.push(tail);
  for (const c of children) writeNode(model, c, out);
  out.push(text.slice(node.endTagStart, node.end));
}
