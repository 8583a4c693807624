/** Who else has this document open, each in their colour. */
import { For, Show } from 'solid-js';
import type { PeerPresence } from '../../platform/sync/presence.ts';

export function PresenceList(props: { peers: PeerPresence[] }) {
  return (
    <Show when={props.peers.length > 0}>
      <ul class="presence" aria-label="Also editing">
        <For each={props.peers}>
          {(peer) => (
            <li class="peer" style={{ '--peer': peer.colour }} data-peer={peer.name}>
              <span class="peer-dot" aria-hidden="true" />
              {peer.name}
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
