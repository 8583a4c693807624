/**
 * Where the XML model lives inside a Y.Doc, and the record types of its edit log.
 *
 * Layout: one root Y.Map named 'xml' (the app's own 'meta' map is left alone) holding
 *   'source' — the imported file's bytes, once, immutable (a Uint8Array: ~1x the file size);
 *   'info'   — { fileName, encoding, bom, declared } (how to write the bytes back);
 *   'edits'  — a flat Y.Map of edit records, one key per edited fact:
 *       `${id}|a|${name}` AttrEdit   value / removal / position of one attribute
 *       `${id}|t`         string     new text of a text, CDATA, comment or PI node
 *       `${id}|p`         Placement  parent and order key after a move or insert
 *       `${id}|x`         1          the node is removed
 *       `${id}|n`         Created    a node created after import (kind, name, first placement, rank)
 *
 * Why this shape: an unedited node is identified by its index in the parse of 'source'
 * (deterministic on every replica) and serialised from its source slice, so the Y.Doc stays at
 * the size of the file and export of an unedited file is byte-identical by construction. Each
 * edited fact is its own map key, so concurrent edits of different attributes, texts or nodes
 * touch different keys and all survive; concurrent edits of the same fact converge through
 * Y.Map's last-writer-wins. Keys hold plain values (never nested shared types) because two
 * replicas creating a nested type under the same key would make one of them vanish.
 *
 * Sibling order: fractional order keys (order-key.ts) ending in a per-device suffix, so two
 * people inserting at one place get distinct keys. A node with a stable id (one id for the same
 * node on every replica) gets a suffix derived from its id instead, so replicas creating it from
 * the same view write the same key. A node inserted with a rank (edit.ts) gets a key built from
 * the unranked siblings around it and its rank, so concurrent ranked inserts sort by rank.
 */
import * as Y from 'yjs';
import type { EncodingName } from './encoding.ts';

export const XML_ROOT = 'xml';

/** A node id: the decimal parse index for imported nodes, `<client>.<clock>` (base 36) for created ones. */
export type NodeId = string;

export const DOCUMENT_ID: NodeId = '0';

export interface StoredInfo {
  fileName: string;
  encoding: EncodingName;
  bom: boolean;
  declared: string | null;
}

export type Quote = '"' | "'";

/** An attribute edit: `v` new value, `q` quote for a new attribute, `k` order key of a new attribute, `d` removed. */
export interface AttrEdit {
  v?: string;
  q?: Quote;
  k?: string;
  d?: 1;
}

export interface Placement {
  p: NodeId;
  k: string;
}

export type CreatedKind = 'element' | 'text' | 'cdata' | 'comment' | 'pi';

/**
 * A node created after import; `p`/`k` is where it was first put (used if later moves form a
 * cycle); `r` the rank it was inserted with (edit.ts, InsertOptions.rank), if any.
 */
export interface Created extends Placement {
  t: CreatedKind;
  name?: string;
  r?: string;
}

export function xmlRoot(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(XML_ROOT);
}

export function editsOf(doc: Y.Doc): Y.Map<unknown> | null {
  const edits = xmlRoot(doc).get('edits');
  return edits instanceof Y.Map ? (edits as Y.Map<unknown>) : null;
}

export const attrKey = (id: NodeId, name: string): string => `${id}|a|${name}`;
export const textKey = (id: NodeId): string => `${id}|t`;
export const placeKey = (id: NodeId): string => `${id}|p`;
export const removedKey = (id: NodeId): string => `${id}|x`;
export const createdKey = (id: NodeId): string => `${id}|n`;

/** A fresh id for a node created by this replica: its client id and the next clock, both unique. */
export function newNodeId(doc: Y.Doc): NodeId {
  return `${doc.clientID.toString(36)}.${Y.getState(doc.store, doc.clientID).toString(36)}`;
}
