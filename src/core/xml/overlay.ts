/**
 * The edit log folded into lookup tables: which node has which edits, where every moved or
 * created node now sits, which parents have a changed child list, and which nodes must be
 * rebuilt on export (an edited node and all its ancestors; every other node is copied from the
 * source). Rebuilt from the 'edits' map after any change; cost is proportional to the number of
 * edits, not to the size of the file.
 *
 * Concurrent moves can form a cycle (A moved into B while B is moved into A). Every replica
 * resolves it the same way: nodes on a cycle fall back to their base placement (imported parent,
 * or where they were created), repeated until no cycle remains.
 */
import type { ParsedXml } from './parsed.ts';
import type { AttrEdit, Created, NodeId, Placement } from './store.ts';

export interface NodeEdits {
  attrs?: Map<string, AttrEdit>;
  text?: string;
  place?: Placement;
  removed?: boolean;
  created?: Created;
}

export interface Overlay {
  nodes: Map<NodeId, NodeEdits>;
  /** Effective parent of every node whose parent differs from the parse (or is new). */
  parentOverride: Map<NodeId, NodeId>;
  /** Nodes now under a parent that is not their parse parent. */
  movedIn: Map<NodeId, NodeId[]>;
  /** Parents whose child list differs from the parse in membership or order. */
  touched: Set<NodeId>;
  /** Nodes whose serialisation differs from their source slice. */
  dirty: Set<NodeId>;
}

export function isSourceId(id: NodeId): boolean {
  return id.indexOf('.') < 0;
}

export function buildOverlay(parsed: ParsedXml, entries: Iterable<[string, unknown]>): Overlay {
  const nodes = new Map<NodeId, NodeEdits>();
  const get = (id: NodeId): NodeEdits => {
    let e = nodes.get(id);
    if (!e) nodes.set(id, (e = {}));
    return e;
  };
  for (const [key, value] of entries) {
    const bar = key.indexOf('|');
    const id = key.slice(0, bar);
    if (isSourceId(id) && !parsed.nodes[Number(id)]) continue;
    const tag = key[bar + 1];
    const e = get(id);
    if (tag === 'a') (e.attrs ??= new Map()).set(key.slice(bar + 3), value as AttrEdit);
    else if (tag === 't') e.text = value as string;
    else if (tag === 'p') e.place = value as Placement;
    else if (tag === 'x') e.removed = true;
    else if (tag === 'n') e.created = value as Created;
  }
  // Nodes created by an edit we have not received cannot be placed; drop their other edits.
  for (const [id, e] of nodes) if (!isSourceId(id) && !e.created) nodes.delete(id);

  const baseParent = (id: NodeId, e: NodeEdits | undefined): NodeId =>
    e?.created ? e.created.p : String(parsed.nodes[Number(id)]!.parent);
  const parentOverride = new Map<NodeId, NodeId>();
  for (const [id, e] of nodes) {
    const p = e.place?.p ?? e.created?.p;
    if (p !== undefined && (e.created || p !== baseParent(id, e))) parentOverride.set(id, p);
  }
  resolveCycles(parsed, nodes, parentOverride, baseParent);

  const movedIn = new Map<NodeId, NodeId[]>();
  const touched = new Set<NodeId>();
  const parentOf = (id: NodeId): NodeId | null => {
    const o = parentOverride.get(id);
    if (o !== undefined) return o;
    if (!isSourceId(id)) return null;
    const p = parsed.nodes[Number(id)]!.parent;
    return p < 0 ? null : String(p);
  };
  for (const [id, p] of parentOverride) {
    const list = movedIn.get(p);
    if (list) list.push(id);
    else movedIn.set(p, [id]);
    touched.add(p);
    if (isSourceId(id)) touched.add(String(parsed.nodes[Number(id)]!.parent));
  }
  for (const [id, e] of nodes) {
    if (e.removed || e.place) {
      const p = parentOf(id);
      if (p !== null) touched.add(p);
    }
  }
  const dirty = new Set<NodeId>();
  const markUp = (start: NodeId | null) => {
    for (let id = start; id !== null && !dirty.has(id); id = parentOf(id)) dirty.add(id);
  };
  for (const [id, e] of nodes) if (e.attrs || e.text !== undefined || e.created) markUp(id);
  for (const p of touched) markUp(p);
  return { nodes, parentOverride, movedIn, touched, dirty };
}

function resolveCycles(
  parsed: ParsedXml,
  nodes: Map<NodeId, NodeEdits>,
  parentOverride: Map<NodeId, NodeId>,
  baseParent: (id: NodeId, e: NodeEdits | undefined) => NodeId,
): void {
  for (let changed = true; changed;) {
    changed = false;
    for (const id of [...parentOverride.keys()].sort()) {
      const seen = new Set<NodeId>([id]);
      let cur: NodeId | undefined = parentOverride.get(id);
      while (cur !== undefined && !seen.has(cur)) {
        seen.add(cur);
        const o = parentOverride.get(cur);
        if (o !== undefined) cur = o;
        else if (isSourceId(cur)) {
          const p = parsed.nodes[Number(cur)]?.parent ?? -1;
          cur = p < 0 ? undefined : String(p);
        } else cur = undefined;
      }
      if (cur === id) {
        const e = nodes.get(id)!;
        const base = baseParent(id, e);
        if (e.created && e.place && e.place.p !== e.created.p) {
          e.place = { p: e.created.p, k: e.created.k };
          parentOverride.set(id, base);
        } else if (!e.created) {
          delete e.place;
          parentOverride.delete(id);
        } else continue;
        changed = true;
        break;
      }
    }
  }
}
