/** The other people in a document (awareness), live. Owner-bound. */
import { createSignal, onCleanup, type Accessor } from 'solid-js';
import type { Awareness } from 'y-protocols/awareness';
import { readPeers, type PeerPresence } from '../../platform/sync/presence.ts';

export function createPeers(awareness: Awareness): Accessor<PeerPresence[]> {
  const [peers, setPeers] = createSignal<PeerPresence[]>(readPeers(awareness));
  const update = () => setPeers(readPeers(awareness));
  awareness.on('change', update);
  onCleanup(() => awareness.off('change', update));
  return peers;
}
