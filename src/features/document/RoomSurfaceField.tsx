/**
 * The room profile's surface and strip count: which control surface the room has (S1, S3,
 * S4, S6, Avid Control) and how many strips its layouts get. Layouts made from a session and
 * the layout editor size themselves to it.
 */
import { For, Show } from 'solid-js';
import { defaultStrips, isSurface, stripChoices, SURFACES, type RoomSurface } from '../../core/console/surfaces.ts';

export function RoomSurfaceField(props: {
  room: RoomSurface | null;
  readOnly: boolean;
  onChange: (room: RoomSurface | null) => void;
}) {
  return (
    <div class="room-surface">
      <label class="field">
        <span class="label">Surface</span>
        <select
          name="roomSurface"
          disabled={props.readOnly}
          value={props.room?.surface ?? ''}
          onChange={(e) => {
            const surface = e.currentTarget.value;
            props.onChange(isSurface(surface) ? { surface, strips: defaultStrips(surface) } : null);
          }}
        >
          <option value="">Not set</option>
          <For each={SURFACES}>{(s) => <option value={s}>{s}</option>}</For>
        </select>
      </label>
      <Show when={props.room}>
        {(room) => (
          <label class="field">
            <span class="label">Strips</span>
            <select
              name="roomStrips"
              disabled={props.readOnly || stripChoices(room().surface).length === 1}
              value={room().strips}
              onChange={(e) => props.onChange({ surface: room().surface, strips: Number(e.currentTarget.value) })}
            >
              <For each={stripChoices(room().surface)}>{(n) => <option value={n}>{n}</option>}</For>
            </select>
          </label>
        )}
      </Show>
    </div>
  );
}
