/**
 * A document's kind and metadata live inside the document itself, in the Y.Map 'meta', so
 * they travel with it through sync and merge like any other edit. The library index is only
 * a cache of these fields.
 */
import * as Y from 'yjs';
import { readRoomSurface, type RoomSurface } from '../console/surfaces.ts';
import { isDocumentKind, type DocumentKind } from './kinds.ts';

export const META_MAP = 'meta';
export const NAME_MAX_LENGTH = 200;
export const TAG_MAX_LENGTH = 64;

export interface DocumentMeta {
  kind: DocumentKind;
  name: string;
  tags: string[];
  notes: string;
  /** The room or console the document belongs to, e.g. "Stage A S6". Empty when unset. */
  roomProfile: string;
  /** The room profile's surface and how many strips its layouts get; null when not said. */
  room: RoomSurface | null;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  /** Epoch milliseconds when moved to Trash; null when not in Trash. */
  deletedAt: number | null;
}

export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(META_MAP);
}

/** Why a name cannot be used, or null when it can. */
export function nameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'A name cannot be empty.';
  if (trimmed.length > NAME_MAX_LENGTH)
    return `A name can have at most ${NAME_MAX_LENGTH} characters (this one has ${trimmed.length}).`;
  return null;
}

/** Tags are trimmed, de-duplicated case-insensitively, and never empty. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of tags) {
    const tag = raw.trim().slice(0, TAG_MAX_LENGTH);
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      result.push(tag);
    }
  }
  return result;
}

/** Writes the metadata of a new document in one transaction. */
export function initMeta(doc: Y.Doc, meta: DocumentMeta): void {
  const problem = nameProblem(meta.name);
  if (problem) throw new RangeError(problem);
  doc.transact(() => {
    const map = metaMap(doc);
    map.set('kind', meta.kind);
    map.set('name', meta.name.trim());
    map.set('tags', normaliseTags(meta.tags));
    map.set('notes', meta.notes);
    map.set('roomProfile', meta.roomProfile);
    if (meta.room) map.set('room', { ...meta.room });
    map.set('createdAt', meta.createdAt);
    map.set('updatedAt', meta.updatedAt);
    map.set('deletedAt', meta.deletedAt);
  });
}

/**
 * Reads the metadata, tolerating missing or mistyped fields (an older or damaged document):
 * returns null only when the document has no valid kind, which means it is not a Mixdesk document.
 */
export function readMeta(doc: Y.Doc): DocumentMeta | null {
  const map = metaMap(doc);
  const kind = map.get('kind');
  if (!isDocumentKind(kind)) return null;
  const str = (key: string) => {
    const v = map.get(key);
    return typeof v === 'string' ? v : '';
  };
  const num = (key: string) => {
    const v = map.get(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : 0;
  };
  const tags = map.get('tags');
  const deletedAt = map.get('deletedAt');
  return {
    kind,
    name: str('name') || 'Untitled',
    tags: Array.isArray(tags) ? normaliseTags(tags.filter((t): t is string => typeof t === 'string')) : [],
    notes: str('notes'),
    roomProfile: str('roomProfile'),
    room: readRoomSurface(map.get('room')),
    createdAt: num('createdAt'),
    updatedAt: num('updatedAt'),
    deletedAt: typeof deletedAt === 'number' ? deletedAt : null,
  };
}

export type EditableMeta = Pick<DocumentMeta, 'name' | 'tags' | 'notes' | 'roomProfile' | 'room' | 'deletedAt'>;

/** Applies a metadata edit, validating the name; stamps updatedAt in the same transaction. */
export function updateMeta(doc: Y.Doc, changes: Partial<EditableMeta>, now: number): void {
  if (changes.name !== undefined) {
    const problem = nameProblem(changes.name);
    if (problem) throw new RangeError(problem);
  }
  doc.transact(() => {
    const map = metaMap(doc);
    if (changes.name !== undefined) map.set('name', changes.name.trim());
    if (changes.tags !== undefined) map.set('tags', normaliseTags(changes.tags));
    if (changes.notes !== undefined) map.set('notes', changes.notes);
    if (changes.roomProfile !== undefined) map.set('roomProfile', changes.roomProfile.trim());
    if (changes.room !== undefined) {
      const room = readRoomSurface(changes.room);
      if (room) map.set('room', { ...room });
      else map.delete('room');
    }
    if (changes.deletedAt !== undefined) map.set('deletedAt', changes.deletedAt);
    map.set('updatedAt', now);
  });
}
