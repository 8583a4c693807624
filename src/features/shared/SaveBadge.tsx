/**
 * Where a document's edits are safe, in words: "Saved on this device", "Saved on server, 18:04",
 * "N changes waiting to upload", "Offline". Follows the relay's durable acknowledgements
 * (platform/sync/durable-state.ts). Owner-bound.
 */
import { createSignal, onCleanup } from 'solid-js';
import type * as Y from 'yjs';
import { describeSaveState, trackDurable } from '../../platform/sync/durable-state.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';

export function SaveBadge(props: { doc: Y.Doc; sync: DocSync }) {
  const provider = props.sync.provider;
  const tracker = trackDurable(
    props.doc,
    provider,
    () => navigator.onLine && provider.wsconnected && props.sync.state() !== 'offline',
  );
  const [state, setState] = createSignal(tracker.state());
  const refresh = () => setState(tracker.state());
  const stopListening = tracker.onChange(refresh);
  const stopSync = props.sync.onState(refresh);
  // The time in "Saved on server, <time>" and the offline check follow the clock and the network.
  window.addEventListener('online', refresh);
  window.addEventListener('offline', refresh);
  onCleanup(() => {
    stopListening();
    stopSync();
    tracker.destroy();
    window.removeEventListener('online', refresh);
    window.removeEventListener('offline', refresh);
  });
  return (
    <span
      class={`save-state save-${state().kind}`}
      data-save-state={state().kind}
      role="status"
      aria-label="Save state"
    >
      {describeSaveState(state())}
    </span>
  );
}
