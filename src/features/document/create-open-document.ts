/**
 * Opens a document for the lifetime of the calling component: loads it, connects it to the
 * relay, keeps its library row in step with every edit (local or remote), exposes its
 * metadata as a signal, and closes it on cleanup. A document this device has never seen (a
 * shared link) is fetched from the relay before it is declared missing. Owner-bound.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { readMeta, metaMap, type DocumentMeta } from '../../core/documents/meta.ts';
import { watchRelayAccess, type RelayAccess } from '../../platform/account/relay-access.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { LibraryService } from '../../platform/library/library-service.ts';
import type { SyncService } from '../../platform/sync/sync-service.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';

export type OpenState =
  | { status: 'loading' }
  | { status: 'ready'; handle: DocHandle; sync: DocSync }
  | { status: 'missing' }
  | { status: 'failed'; message: string };

/** How long to wait for the relay before saying a document this device lacks does not exist. */
const FETCH_UNKNOWN_TIMEOUT_MS = 8000;
/** The same for a document the server lists for this account (it exists; a large one takes longer). */
const FETCH_LISTED_TIMEOUT_MS = 30_000;

/**
 * `listed`: the server lists the document for this account (its own or shared with it), so a
 * copy this device lacks is worth waiting for. The relay's access level (read-only, revoked)
 * is watched from the moment the connection is made, so its first frame is never missed.
 */
export function createOpenDocument(
  library: LibraryService,
  sync: SyncService,
  id: string,
  listed = false,
): { state: Accessor<OpenState>; meta: Accessor<DocumentMeta | null>; access: Accessor<RelayAccess> } {
  const [state, setState] = createSignal<OpenState>({ status: 'loading' });
  const [meta, setMeta] = createSignal<DocumentMeta | null>(null);
  const [access, setAccess] = createSignal<RelayAccess>('read-write');
  let disposed = false;
  const cleanups: Array<() => void> = [];

  library
    .load(id)
    .then(async (handle) => {
      cleanups.push(() => void handle.close());
      if (disposed) return;
      const attached = sync.attach(handle);
      cleanups.push(attached.release);
      cleanups.push(watchRelayAccess(attached.sync.provider, setAccess));
      const fetched = !readMeta(handle.doc) && sync.enabled();
      if (fetched) await attached.sync.whenSynced(listed ? FETCH_LISTED_TIMEOUT_MS : FETCH_UNKNOWN_TIMEOUT_MS);
      if (disposed) return;
      const current = readMeta(handle.doc);
      if (!current) {
        setState({ status: 'missing' });
        return;
      }
      // track() keeps the row in step with every change from here on; a document known here
      // already has its row, so only one just fetched from the relay needs it written now.
      cleanups.push(library.track(handle));
      if (fetched) await library.reindex(id, handle.doc);
      if (disposed) return;
      setMeta(readMeta(handle.doc));
      const map = metaMap(handle.doc);
      const onMeta = () => setMeta(readMeta(handle.doc));
      map.observe(onMeta);
      cleanups.push(() => map.unobserve(onMeta));
      setState({ status: 'ready', handle, sync: attached.sync });
    })
    .catch((error: Error) => {
      if (!disposed) setState({ status: 'failed', message: error.message });
    });

  onCleanup(() => {
    disposed = true;
    for (const cleanup of cleanups.reverse()) cleanup();
  });
  return { state, meta, access };
}
