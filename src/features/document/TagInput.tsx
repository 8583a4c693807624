/** Tags as removable chips plus a field that adds one on Enter or comma. */
import { For, Show } from 'solid-js';

/** Read-only: the chips alone (a dash when there are none), no remove buttons, no field. */
export function TagInput(props: { tags: string[]; readOnly?: boolean; onChange: (tags: string[]) => void }) {
  const add = (input: HTMLInputElement) => {
    const added = input.value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (added.length) props.onChange([...props.tags, ...added]);
    input.value = '';
  };
  return (
    <div class="field">
      <span class="label" id="tags-label">
        Tags
      </span>
      <div class="tag-editor" role="group" aria-labelledby="tags-label">
        <For each={props.tags} fallback={props.readOnly ? <span class="hint">—</span> : undefined}>
          {(tag) => (
            <span class="tag">
              {tag}
              <Show when={!props.readOnly}>
                <button
                  type="button"
                  class="tag-remove"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => props.onChange(props.tags.filter((t) => t !== tag))}
                >
                  ×
                </button>
              </Show>
            </span>
          )}
        </For>
        <Show when={!props.readOnly}>
          <input
            name="tag"
            placeholder="Add a tag, press Enter"
            aria-labelledby="tags-label"
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ',') {
                e.preventDefault();
                add(e.currentTarget);
              }
            }}
            onBlur={(e) => add(e.currentTarget)}
          />
        </Show>
      </div>
    </div>
  );
}
