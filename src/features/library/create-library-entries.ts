/**
 * The library rows as a Solid signal, live: any write to the index (from this tab, another
 * tab, or background sync) re-renders the list. Owner-bound.
 */
import { liveQuery } from 'dexie';
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { LibraryEntry } from '../../core/documents/library-entry.ts';
import type { LibraryDatabase } from '../../platform/library/library-db.ts';

export function createLibraryEntries(db: LibraryDatabase, onError: (error: unknown) => void): Accessor<LibraryEntry[] | undefined> {
  const [entries, setEntries] = createSignal<LibraryEntry[] | undefined>(undefined);
  const subscription = liveQuery(() => db.documents.toArray()).subscribe({
    next: (rows) => setEntries(rows),
    error: onError,
  });
  onCleanup(() => subscription.unsubscribe());
  return entries;
}
