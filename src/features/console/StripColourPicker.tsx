/**
 * The colour of the selected strip in the layout editor: one button per palette swatch and
 * "No colour". Plain buttons, so they are in the tab order, work by touch (each a full touch
 * target) and say their state (aria-pressed); the swatch's name is the button's label, so a
 * screen reader and a colour-blind engineer read the same thing the strip sheet prints.
 */
import { createUniqueId, For, Show } from 'solid-js';
import { STRIP_COLOURS, stripColour, type FieldConflict } from '../../core/console/index.ts';

const named = (value: string) => stripColour(value)?.name ?? 'no colour';

export function StripColourPicker(props: {
  /** The selected strip, or null: the buttons are disabled until one is chosen. */
  slot: number | null;
  track: string | null;
  /** The strip's colour as stored (a palette name or `#rrggbb`), or null. */
  colour: string | null;
  /** Colours chosen for this strip at the same time as the one kept (the later edit wins). */
  conflicts: FieldConflict[];
  onPick: (colour: string | null) => void;
}) {
  const current = () => stripColour(props.colour);
  const labelId = createUniqueId();
  return (
    <div class="strip-colour-picker" role="group" aria-labelledby={labelId}>
      <span class="label" id={labelId}>
        <Show when={props.slot !== null} fallback="Strip colour (select a strip first)">
          Colour of strip {props.slot}
          {props.track ? ` (${props.track})` : ''}: {current()?.name ?? 'none'}
        </Show>
      </span>
      <div class="strip-colour-swatches">
        <For each={STRIP_COLOURS}>
          {(c) => (
            <button
              class="strip-colour-swatch"
              style={{ '--swatch': c.css }}
              aria-label={c.name}
              title={c.name}
              aria-pressed={current()?.value === c.name}
              disabled={props.slot === null}
              onClick={() => props.onPick(c.name)}
            />
          )}
        </For>
        <button
          class="button strip-colour-none"
          aria-pressed={props.slot !== null && current() === null}
          disabled={props.slot === null}
          onClick={() => props.onPick(null)}
        >
          No colour
        </button>
      </div>
      <For each={props.conflicts}>
        {(c) => (
          <p class="console-field-conflict" role="status" aria-label="Colour conflict">
            {c.kept.who} chose {named(c.kept.value)} while {c.lost.who} chose {named(c.lost.value)};{' '}
            {named(c.kept.value)} is kept.{' '}
            <button class="button" onClick={() => props.onPick(stripColour(c.lost.value)?.value ?? null)}>
              Use {named(c.lost.value)}
            </button>
          </p>
        )}
      </For>
    </div>
  );
}
