/** The names of the collaborators who have this item selected, in their colours. */
import { For, Show } from 'solid-js';
import type { PeerPresence } from '../../platform/sync/presence.ts';

export function PeerMarks(props: { peers: PeerPresence[] }) {
  return (
    <Show when={props.peers.length}>
      <span class="console-peer-marks">
        <For each={props.peers}>
          {(p) => (
            <span class="console-peer-mark" style={{ '--peer': p.colour }} data-peer-selection={p.name}>
              {p.name}
            </span>
          )}
        </For>
      </span>
    </Show>
  );
}

/** Inline style giving an element its first selecting peer's colour (outlined via CSS). */
export function peerStyle(peers: PeerPresence[]): Record<string, string> | undefined {
  return peers.length ? { '--peer': peers[0]!.colour } : undefined;
}
