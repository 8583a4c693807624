/**
 * Opens a document for the lifetime of the calling component: loads it, keeps its library row
 * in step with every edit (local or remote), exposes its metadata as a signal, and closes it
 * on cleanup. Owner-bound.
 */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import { readMeta, metaMap, type DocumentMeta } from '../../core/documents/meta.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import type { LibraryService } from '../../platform/library/library-service.ts';

export type OpenState =
  | { status: 'loading' }
  | { status: 'ready'; handle: DocHandle }
  | { status: 'missing' }
  | { status: 'failed'; message: string };

export function createOpenDocument(library: LibraryService, id: string): { state: Accessor<OpenState>; meta: Accessor<DocumentMeta | null> } {
  const [state, setState] = createSignal<OpenState>({ status: 'loading' });
  const [meta, setMeta] = createSignal<DocumentMeta | null>(null);
  let disposed = false;
  let release = () => {};

  library.load(id).then((handle) => {
    if (disposed) { void handle.close(); return; }
    const current = readMeta(handle.doc);
    if (!current) { setState({ status: 'missing' }); void handle.close(); return; }
    setMeta(current);
    const map = metaMap(handle.doc);
    const onMeta = () => setMeta(readMeta(handle.doc));
    map.observe(onMeta);
    const untrack = library.track(handle);
    release = () => { map.unobserve(onMeta); untrack(); void handle.close(); };
    setState({ status: 'ready', handle });
  }, (error: Error) => {
    if (!disposed) setState({ status: 'failed', message: error.message });
  });

  onCleanup(() => { disposed = true; release(); });
  return { state, meta };
}
