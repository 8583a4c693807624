/** Every document's sync state as a reactive lookup. Owner-bound. */
import { createSignal, onCleanup } from 'solid-js';
import type { SyncState } from '../platform/sync/sync-state.ts';
import type { SyncService } from '../platform/sync/sync-service.ts';

export function createSyncStates(sync: SyncService): (id: string) => SyncState {
  // One version counter instead of a signal per document: a pass over 1,000 documents
  // re-renders only the badges whose state is read, once per change.
  const [version, setVersion] = createSignal(0);
  const bump = () => setVersion((v) => v + 1);
  onCleanup(sync.subscribe(bump));
  // stateOf reads the network too (never "Syncing" offline): re-read when it changes.
  window.addEventListener('online', bump);
  window.addEventListener('offline', bump);
  onCleanup(() => {
    window.removeEventListener('online', bump);
    window.removeEventListener('offline', bump);
  });
  return (id) => {
    version();
    return sync.stateOf(id);
  };
}
