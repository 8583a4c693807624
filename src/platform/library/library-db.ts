/**
 * The library index: one Dexie row per document, so the library lists, searches and sorts
 * a thousand documents without opening a thousand Y.Docs. Rows are a cache of each
 * document's 'meta' map and can always be rebuilt from the documents themselves.
 */
import Dexie, { type Table } from 'dexie';
import type { LibraryEntry } from '../../core/documents/library-entry.ts';

export class LibraryDatabase extends Dexie {
  documents!: Table<LibraryEntry, string>;

  constructor(name = 'mixdesk-library') {
    super(name);
    this.version(1).stores({
      // Indexed fields only; the rest of the row is stored as is.
      documents: 'id, kind, name, *tags, roomProfile, updatedAt, deletedAt',
    });
  }
}
