/**
 * One row of the library index: what the library shows and searches without loading the
 * document. Derived from the document's 'meta' map (see meta.ts), never edited on its own.
 */
import type { DocumentMeta } from './meta.ts';

export interface LibraryEntry extends DocumentMeta {
  id: string;
  /** Encoded size of the document's state in bytes. */
  size: number;
  /** Set when the stored document could not be loaded; the text says why. */
  damaged?: string;
}

export function entryFromMeta(id: string, meta: DocumentMeta, size: number): LibraryEntry {
  return { id, ...meta, size };
}

/** The row shown for a stored document that cannot be read, so the list never breaks on it. */
export function damagedEntry(id: string, reason: string, known?: Partial<LibraryEntry>): LibraryEntry {
  return {
    kind: 'console-config',
    name: `Damaged document ${id}`,
    tags: [],
    notes: '',
    roomProfile: '',
    room: null,
    createdAt: 0,
    updatedAt: 0,
    deletedAt: null,
    size: 0,
    ...known,
    id,
    damaged: reason,
  };
}
