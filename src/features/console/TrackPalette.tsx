/**
 * The tracks a layout can use: every track named in the document's layouts plus any added
 * here. A track is dragged onto a strip, or activated (click, Enter) to go on the selected strip.
 */
import { For, Show } from 'solid-js';
import { TextAction } from './TextAction.tsx';

/** The drag data type of a track dragged from the palette. */
export const TRACK_TYPE = 'application/x-mixdesk-track';

export function TrackPalette(props: {
  tracks: string[];
  used: Set<string>;
  /** The list alone: nothing to drag, pick or add. */
  readOnly?: boolean;
  onPick: (track: string) => void;
  onAdd: (track: string) => void;
}) {
  return (
    <section class="console-tracks" aria-label="Tracks">
      <h3>
        Tracks{' '}
        <Show when={!props.readOnly}>
          <span class="hint">drag onto a strip, or select a strip and choose a track</span>
        </Show>
      </h3>
      <div class="console-track-list">
        <For each={props.tracks}>
          {(t) => (
            <button
              class={`console-track${props.used.has(t) ? ' used' : ''}`}
              draggable={!props.readOnly}
              disabled={props.readOnly}
              data-track={t}
              onDragStart={(e) => {
                e.dataTransfer!.setData(TRACK_TYPE, t);
                e.dataTransfer!.effectAllowed = 'copyMove';
              }}
              onClick={() => props.onPick(t)}
              aria-label={`Track ${t}${props.used.has(t) ? ' (on a strip)' : ''}`}
            >
              {t}
            </button>
          )}
        </For>
      </div>
      <Show when={!props.readOnly}>
        <TextAction label="New track name" placeholder="Track name" action="Add track" onSubmit={props.onAdd} />
      </Show>
    </section>
  );
}
