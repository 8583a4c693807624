/**
 * The library and the Trash: one list of documents, searched by name, tag and notes,
 * filtered by kind and room profile, sorted; actions per row.
 */
import { createMemo, createSignal, For, onMount, Show, type JSX } from 'solid-js';
import { DOCUMENT_KINDS, KIND_LABELS, type DocumentKind } from '../../core/documents/kinds.ts';
import {
  DEFAULT_QUERY,
  queryLibrary,
  roomProfiles,
  TRASH_RETENTION_MS,
  type LibraryQuery,
  type SortKey,
} from '../../core/documents/library-query.ts';
import { useApp } from '../../app/app-context.ts';
import { createLibraryEntries } from './create-library-entries.ts';
import { CreateDocumentForm } from './CreateDocumentForm.tsx';
import { DocumentRow } from './DocumentRow.tsx';

const SORTS: Array<{ key: SortKey; label: string }> = [
  { key: 'updated', label: 'Last edited' },
  { key: 'name', label: 'Name' },
  { key: 'created', label: 'Created' },
  { key: 'size', label: 'Size' },
  { key: 'kind', label: 'Kind' },
];

/** `actions` sit beside New document in the library view; the shell passes the console import actions. */
export function LibraryPage(props: { view: 'library' | 'trash'; actions?: JSX.Element }) {
  const { library, notices } = useApp();
  const entries = createLibraryEntries(library, (error) => notices.error(error, 'The library index cannot be read'));
  const [query, setQuery] = createSignal<Omit<LibraryQuery, 'view'>>({ ...DEFAULT_QUERY });
  const [creating, setCreating] = createSignal(false);
  const visible = createMemo(() => queryLibrary(entries() ?? [], { ...query(), view: props.view }));
  const rooms = createMemo(() => roomProfiles(entries() ?? []));
  const trashCount = createMemo(() => (entries() ?? []).filter((e) => e.deletedAt !== null).length);
  const patch = (change: Partial<LibraryQuery>) => setQuery((q) => ({ ...q, ...change }));

  onMount(() => performance.mark('library-mounted'));
  // Marks the first paint of a non-empty list, for the library benchmark.
  const markRendered = () => {
    if (!performance.getEntriesByName('library-rendered').length)
      requestAnimationFrame(() => performance.mark('library-rendered'));
  };

  const emptyTrash = async () => {
    if (!confirm(`Delete ${trashCount()} document(s) in the Trash for good? This cannot be undone.`)) return;
    try {
      notices.info(`Deleted ${await library.emptyTrash()} document(s) for good.`);
    } catch (error) {
      notices.error(error, 'Emptying the Trash failed');
    }
  };

  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{props.view === 'trash' ? 'Trash' : 'Library'}</h1>
        <Show
          when={props.view === 'library'}
          fallback={
            <button class="button danger" disabled={trashCount() === 0} onClick={emptyTrash}>
              Empty Trash
            </button>
          }
        >
          <div class="row-actions">
            {props.actions}
            <button class="button primary" onClick={() => setCreating(true)} aria-expanded={creating()}>
              New document
            </button>
          </div>
        </Show>
      </header>
      <Show when={props.view === 'trash'}>
        <p class="hint">
          Documents stay in the Trash for {TRASH_RETENTION_MS / 86_400_000} days, then are deleted for good.
        </p>
      </Show>
      <Show when={creating()}>
        <CreateDocumentForm onDone={() => setCreating(false)} />
      </Show>
      <div class="toolbar" role="search">
        <label class="field grow">
          <span class="label">Search</span>
          <input
            type="search"
            placeholder="Name, tag or notes"
            value={query().text}
            onInput={(e) => patch({ text: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span class="label">Kind</span>
          <select
            aria-label="Filter by kind"
            value={query().kind}
            onChange={(e) => patch({ kind: e.currentTarget.value as DocumentKind | 'all' })}
          >
            <option value="all">All kinds</option>
            <For each={DOCUMENT_KINDS}>{(kind) => <option value={kind}>{KIND_LABELS[kind]}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="label">Room</span>
          <select
            aria-label="Filter by room"
            value={query().roomProfile}
            onChange={(e) => patch({ roomProfile: e.currentTarget.value })}
          >
            <option value="all">All rooms</option>
            <For each={rooms()}>{(room) => <option value={room}>{room}</option>}</For>
          </select>
        </label>
        <label class="field">
          <span class="label">Sort by</span>
          <select
            aria-label="Sort by"
            value={query().sort}
            onChange={(e) => patch({ sort: e.currentTarget.value as SortKey })}
          >
            <For each={SORTS}>{(s) => <option value={s.key}>{s.label}</option>}</For>
          </select>
        </label>
        <button
          class="button icon"
          onClick={() => patch({ descending: !query().descending })}
          aria-label={query().descending ? 'Sorted descending; sort ascending' : 'Sorted ascending; sort descending'}
        >
          {query().descending ? '↓' : '↑'}
        </button>
      </div>
      <Show when={entries()} fallback={<p class="hint">Loading the library…</p>}>
        <p class="count" aria-live="polite">
          {visible().length} of{' '}
          {(entries() ?? []).filter((e) => (e.deletedAt !== null) === (props.view === 'trash')).length} documents
        </p>
        <Show
          when={visible().length > 0}
          fallback={
            <p class="empty">
              {props.view === 'trash'
                ? 'The Trash is empty.'
                : query().text
                  ? 'No document matches.'
                  : 'No documents yet. Create one to start.'}
            </p>
          }
        >
          <ul class="doc-list" ref={markRendered}>
            <For each={visible()}>{(entry) => <DocumentRow entry={entry} view={props.view} />}</For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
