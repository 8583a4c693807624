/**
 * Copying a subtree (e.g. "copy a bank"): the copy is made of created nodes carrying the same
 * names, attributes (in order) and text as the original, placed at `index` under `newParent`.
 * Whitespace text inside the subtree is copied too, so the copy is laid out like the original.
 */
import type * as Y from 'yjs';
import { attributes, childNodes, getText, nodeKind, nodeName } from './nodes.ts';
import { insertElement, insertText, type TidyOption } from './edit.ts';
import type { NodeId } from './store.ts';

export function copyNode(doc: Y.Doc, id: NodeId, newParent: NodeId, index: number, opts: TidyOption = {}): NodeId {
  let copy = '';
  doc.transact(() => {
    copy = copyInto(doc, id, newParent, index, opts.tidy !== false);
  });
  return copy;
}

function copyInto(doc: Y.Doc, id: NodeId, parent: NodeId, index: number, tidy: boolean): NodeId {
  const kind = nodeKind(doc, id);
  if (kind !== 'element') {
    if (kind === 'document' || kind === 'doctype' || kind === 'decl')
      throw new Error(`a ${kind} node cannot be copied`);
    return insertText(doc, parent, index, getText(doc, id), kind);
  }
  const el = insertElement(
    doc,
    parent,
    index,
    nodeName(doc, id)!,
    attributes(doc, id).map((a) => [a.name, a.value]),
    { tidy },
  );
  childNodes(doc, id).forEach((c, i) => copyInto(doc, c, el, i, false));
  return el;
}
