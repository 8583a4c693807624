/**
 * A readable diff between two versions of the same imported document (e.g. two named versions,
 * each loaded into its own Y.Doc with Y.createDocFromSnapshot or from an encoded state). Node ids
 * are stable across versions (store.ts), so the diff is by node: added, removed and moved
 * nodes, attribute changes, text changes, each named by its path in the newer version (the
 * older one for removals). Both docs must come from the same import.
 */
import type * as Y from 'yjs';
import { modelOf, type XmlModel } from './model.ts';
import { attributes, getText, nodePath } from './nodes.ts';
import { DOCUMENT_ID, type NodeId } from './store.ts';

export type XmlChange =
  | { kind: 'added'; node: NodeId; path: string; summary: string }
  | { kind: 'removed'; node: NodeId; path: string; summary: string }
  | { kind: 'moved'; node: NodeId; path: string; from: string; summary: string }
  | {
      kind: 'attribute';
      node: NodeId;
      path: string;
      name: string;
      before: string | null;
      after: string | null;
      summary: string;
    }
  | { kind: 'text'; node: NodeId; path: string; before: string; after: string; summary: string };

function visible(doc: Y.Doc, model: XmlModel): Map<NodeId, NodeId | null> {
  const parents = new Map<NodeId, NodeId | null>([[DOCUMENT_ID, null]]);
  const walk = (id: NodeId) => {
    for (const c of model.children(id)) {
      parents.set(c, id);
      walk(c);
    }
  };
  walk(DOCUMENT_ID);
  return parents;
}

const quote = (v: string | null) => (v === null ? '(none)' : JSON.stringify(v));

function describe(doc: Y.Doc, model: XmlModel, id: NodeId): string {
  const kind = model.kind(id);
  if (kind === 'element') return `<${model.name(id)}>`;
  const text = getText(doc, id);
  return `${kind} ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text)}`;
}

/** Changes from `before` to `after`, in document order of `after`, removals last. */
export function diffVersions(before: Y.Doc, after: Y.Doc): XmlChange[] {
  const mb = modelOf(before);
  const ma = modelOf(after);
  const pb = visible(before, mb);
  const pa = visible(after, ma);
  const changes: XmlChange[] = [];
  for (const [id, parent] of pa) {
    if (id === DOCUMENT_ID) continue;
    const path = nodePath(after, id);
    const kind = ma.kind(id);
    if (!pb.has(id)) {
      if (kind === 'text' && getText(after, id).trim() === '') continue;
      changes.push({ kind: 'added', node: id, path, summary: `${path}: added ${describe(after, ma, id)}` });
      continue;
    }
    const from = pb.get(id)!;
    if (from !== parent || mb.orderKey(id) !== ma.orderKey(id)) {
      if (!(kind === 'text' && getText(after, id).trim() === '')) {
        const was = nodePath(before, id);
        changes.push({ kind: 'moved', node: id, path, from: was, summary: `${path}: moved from ${was}` });
      }
    }
    if (kind === 'element') {
      const old = new Map(attributes(before, id).map((a) => [a.name, a.value]));
      const now = new Map(attributes(after, id).map((a) => [a.name, a.value]));
      for (const name of new Set([...old.keys(), ...now.keys()])) {
        const b = old.get(name) ?? null;
        const a = now.get(name) ?? null;
        if (a !== b)
          changes.push({
            kind: 'attribute',
            node: id,
            path,
            name,
            before: b,
            after: a,
            summary: `${path} @${name}: ${quote(b)} → ${quote(a)}`,
          });
      }
    } else if (kind !== 'doctype' && kind !== 'decl') {
      const b = getText(before, id);
      const a = getText(after, id);
      if (a !== b)
        changes.push({
          kind: 'text',
          node: id,
          path,
          before: b,
          after: a,
          summary: `${path}: text ${quote(b)} → ${quote(a)}`,
        });
    }
  }
  for (const [id, parent] of pb) {
    // Only the top of a removed subtree is listed.
    if (pa.has(id) || parent === null || !pa.has(parent)) continue;
    if (mb.kind(id) === 'text' && getText(before, id).trim() === '') continue;
    const path = nodePath(before, id);
    changes.push({ kind: 'removed', node: id, path, summary: `${path}: removed ${describe(before, mb, id)}` });
  }
  return changes;
}
