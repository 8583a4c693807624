/** One document in the library or the Trash, with the actions that fit where it is. */
import { For, Show } from 'solid-js';
import { KIND_LABELS } from '../../core/documents/kinds.ts';
import type { LibraryEntry } from '../../core/documents/library-entry.ts';
import { formatBytes } from '../../platform/storage/quota.ts';
import { useApp } from '../../app/app-context.ts';
import { RowSaveBadge } from './RowSaveBadge.tsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function DocumentRow(props: { entry: LibraryEntry; view: 'library' | 'trash' }) {
  const { library, notices } = useApp();
  const act = (label: string, work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (error) {
      notices.error(error, `${label} "${props.entry.name}" failed`);
    }
  };
  return (
    <li class="doc-row" classList={{ damaged: !!props.entry.damaged }} data-id={props.entry.id}>
      <a class="doc-main" href={`/doc/${props.entry.id}`}>
        <span class="doc-name">{props.entry.name}</span>
        <span class="doc-meta">
          <span class={`kind kind-${props.entry.kind}`}>{KIND_LABELS[props.entry.kind]}</span>
          <Show when={props.entry.roomProfile}>
            <span class="room">{props.entry.roomProfile}</span>
          </Show>
          <Show when={props.entry.updatedAt > 0}>
            <span>{dateFormat.format(props.entry.updatedAt)}</span>
          </Show>
          <span>{formatBytes(props.entry.size)}</span>
          <Show when={!props.entry.damaged}>
            <RowSaveBadge id={props.entry.id} />
          </Show>
        </span>
        <Show when={props.entry.tags.length > 0}>
          <span class="tags">
            <For each={props.entry.tags}>{(tag) => <span class="tag">{tag}</span>}</For>
          </span>
        </Show>
        <Show when={props.entry.damaged}>
          <span class="damaged-note" role="status">
            Damaged: {props.entry.damaged} (id {props.entry.id})
          </span>
        </Show>
      </a>
      <div class="row-actions">
        <Show
          when={props.view === 'library'}
          fallback={
            <>
              <button class="button" onClick={act('Restoring', () => library.restore(props.entry.id))}>
                Restore
              </button>
              <button
                class="button danger"
                onClick={act('Deleting', async () => {
                  if (confirm(`Delete "${props.entry.name}" for good?`)) await library.purge(props.entry.id);
                })}
              >
                Delete forever
              </button>
            </>
          }
        >
          <Show
            when={!props.entry.damaged}
            fallback={
              <button
                class="button danger"
                onClick={act('Removing', async () => {
                  if (confirm(`Remove the damaged document ${props.entry.id} for good?`))
                    await library.purge(props.entry.id);
                })}
              >
                Remove
              </button>
            }
          >
            <button class="button" onClick={act('Duplicating', () => library.duplicate(props.entry.id))}>
              Duplicate
            </button>
            <button class="button" onClick={act('Moving to Trash', () => library.trash(props.entry.id))}>
              Move to Trash
            </button>
          </Show>
        </Show>
      </div>
    </li>
  );
}
