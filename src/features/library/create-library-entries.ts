/**
 * The library rows as a Solid signal, live: any write to the index (from this tab, another
 * tab, or background sync) re-renders the list. Owner-bound.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { LibraryEntry } from '../../core/documents/library-entry.ts';
import type { LibraryService } from '../../platform/library/library-service.ts';

export function createLibraryEntries(
  library: LibraryService,
  onError: (error: unknown) => void,
): Accessor<LibraryEntry[] | undefined> {
  const [entries, setEntries] = createSignal<LibraryEntry[] | undefined>(undefined);
  onCleanup(library.watch(setEntries, onError));
  return entries;
}
