/** Every document's sync state as a reactive lookup. Owner-bound. */
import { createSignal, onCleanup } from 'solid-js';
import type { SyncState } from '../platform/sync/sync-state.ts';
import type { SyncService } from '../platform/sync/sync-service.ts';

export function createSyncStates(sync: SyncService): (id: string) => SyncState {
  // One version counter instead of a signal per document: a pass over 1,000 documents
  // re-renders only the badges whose state is read, once per change.
  const [version, setVersion] = createSignal(0);
  onCleanup(sync.subscribe(() => setVersion((v) => v + 1)));
  return (id) => { version(); return sync.stateOf(id); };
}
