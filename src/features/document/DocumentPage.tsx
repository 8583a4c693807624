/**
 * A document: its metadata (name, tags, notes, room profile) and the editor for its kind.
 * Edits go straight into the Y.Doc; the library row follows through createOpenDocument.
 */
import {
  createEffect,
  createSignal,
  Match,
  on,
  onCleanup,
  Show,
  Switch,
  type Accessor,
  type Component,
} from 'solid-js';
import type { DocumentKind } from '../../core/documents/kinds.ts';
import { KIND_LABELS } from '../../core/documents/kinds.ts';
import { nameProblem, updateMeta, type DocumentMeta, type EditableMeta } from '../../core/documents/meta.ts';
import { useApp } from '../../app/app-context.ts';
import type { RelayAccess } from '../../platform/account/relay-access.ts';
import type { DocHandle } from '../../platform/docs/doc-store.ts';
import { publishIdentity, withholdSelection } from '../../platform/sync/presence.ts';
import type { DocSync } from '../../platform/sync/websocket-doc-sync.ts';
import { createPeers } from '../shared/create-peers.ts';
import { PresenceList } from '../shared/PresenceList.tsx';
import { SaveBadge } from '../shared/SaveBadge.tsx';
import { ShareControl } from './ShareControl.tsx';
import { SyncBadge } from '../shared/SyncBadge.tsx';
import { bindFieldValue } from '../shared/bind-field-value.ts';
import { ReadOnlyContext } from '../shared/read-only.tsx';
import { createOpenDocument } from './create-open-document.ts';
import { RoomSurfaceField } from './RoomSurfaceField.tsx';
import { TagInput } from './TagInput.tsx';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What the page hands the editor of a document's kind; src/app/KindEditor.tsx picks the editor. */
export interface KindEditorProps {
  kind: DocumentKind;
  handle: DocHandle;
  sync: DocSync;
}

/** `editor` renders the document's contents; the shell passes it in, so this feature needs no other feature. */
export function DocumentPage(props: { id: string; editor: Component<KindEditorProps> }) {
  const { library, sync, account } = useApp();
  const listed = !!(account.owned(props.id) ?? account.sharedWithMe(props.id));
  const opened = createOpenDocument(library, sync, props.id, listed);
  return (
    <section class="page" aria-labelledby="page-title">
      <Switch>
        <Match when={opened.state().status === 'loading'}>
          <p class="hint">Opening…</p>
        </Match>
        <Match when={opened.state().status === 'missing'}>
          <h1 id="page-title">Document not found</h1>
          <p>
            There is no document {props.id} on this device. <a href="/">Back to the library</a>
          </p>
        </Match>
        <Match when={opened.state().status === 'failed'}>
          <h1 id="page-title">This document cannot be opened</h1>
          <p class="problem" role="alert">
            {(opened.state() as { message: string }).message}
          </p>
          <p>
            Other documents are not affected. <a href="/">Back to the library</a>
          </p>
        </Match>
        <Match when={opened.state().status === 'ready' && opened.meta()}>
          <DocumentView
            {...(opened.state() as { handle: DocHandle; sync: DocSync })}
            meta={opened.meta()!}
            access={opened.access}
            editor={props.editor}
          />
        </Match>
      </Switch>
    </section>
  );
}

function DocumentView(props: {
  handle: DocHandle;
  sync: DocSync;
  meta: DocumentMeta;
  access: Accessor<RelayAccess>;
  editor: Component<KindEditorProps>;
}) {
  const Editor = props.editor;
  const { library, router, notices, syncState, identity, account } = useApp();
  const awareness = props.sync.provider.awareness;
  createEffect(() => publishIdentity(awareness, identity()));
  // A friend's document: the relay says so on connecting, the server's list says so before.
  const [accountVersion, bumpAccount] = createSignal(0);
  onCleanup(account.subscribe(() => bumpAccount((v) => v + 1)));
  const sharedBy = () => (accountVersion(), account.sharedWithMe(props.handle.id)?.owner);
  let wasReadOnly = false;
  const readOnly = () => {
    const now = props.access() === 'read-only' || sharedBy() !== undefined;
    if (now) wasReadOnly = true;
    return now;
  };
  createEffect(() => {
    if (readOnly()) withholdSelection(awareness);
  });
  // The relay closed the connection for good (4403): a revoked share leaves the editor and
  // this device at once; the owner's own view (signed out, Trash elsewhere) just says so.
  createEffect(
    on(props.access, (access) => {
      if (access !== 'revoked') return;
      if (!wasReadOnly) {
        notices.info(
          `${props.meta.name} no longer syncs: the server closed it (signed out, or moved to Trash elsewhere).`,
        );
        return;
      }
      const id = props.handle.id;
      notices.info(`${sharedBy() ?? 'The owner'} stopped sharing ${props.meta.name} with you.`);
      account.forgetShare(id);
      router.navigate('/');
      // After the page let go of the document (its cleanup ran with the navigation).
      queueMicrotask(() => void library.purge(id).catch((error) => notices.error(error)));
    }),
  );
  const peers = createPeers(awareness);
  const [nameError, setNameError] = createSignal<string | null>(null);
  const edit = (changes: Partial<EditableMeta>) => {
    if (readOnly()) return;
    try {
      updateMeta(props.handle.doc, changes, Date.now());
    } catch (error) {
      notices.error(error);
    }
  };
  const commitName = (input: HTMLInputElement) => {
    if (readOnly()) return;
    const problem = nameProblem(input.value);
    setNameError(problem);
    if (problem) return;
    if (input.value.trim() !== props.meta.name) edit({ name: input.value });
  };
  const run = (label: string, work: () => Promise<unknown>) => async () => {
    try {
      await work();
    } catch (error) {
      notices.error(error, label);
    }
  };

  return (
    <>
      <header class="page-header">
        <h1 id="page-title">{props.meta.name}</h1>
        <SyncBadge state={syncState(props.handle.id)} />
        <SaveBadge doc={props.handle.doc} sync={props.sync} />
        <PresenceList peers={peers()} />
        <div class="row-actions">
          <ShareControl
            url={new URL(`/doc/${props.handle.id}`, location.origin).href}
            name={props.meta.name}
            readOnly={readOnly()}
          />
          <Show when={!readOnly()}>
            <Show
              when={props.meta.deletedAt === null}
              fallback={
                <button class="button" onClick={run('Restoring failed', () => library.restore(props.handle.id))}>
                  Restore
                </button>
              }
            >
              <button
                class="button"
                onClick={run('Duplicating failed', async () =>
                  router.navigate(`/doc/${await library.duplicate(props.handle.id)}`),
                )}
              >
                Duplicate
              </button>
              <button
                class="button"
                onClick={run('Moving to Trash failed', async () => {
                  await library.trash(props.handle.id);
                  router.navigate('/');
                })}
              >
                Move to Trash
              </button>
            </Show>
          </Show>
        </div>
      </header>
      <Show when={props.meta.deletedAt !== null}>
        <p class="banner" role="status">
          This document is in the Trash.
        </p>
      </Show>
      <Show when={readOnly()}>
        <p class="banner read-only" role="status" data-testid="read-only-banner">
          Read-only: shared by {sharedBy() ?? 'its owner'}
        </p>
      </Show>
      <ReadOnlyContext.Provider value={readOnly}>
        <div class="document-body" classList={{ 'read-only-view': readOnly() }}>
          <Editor kind={props.meta.kind} handle={props.handle} sync={props.sync} />
          <section class="card meta-form" aria-labelledby="details-title">
            <h2 id="details-title">Details</h2>
            <label class="field">
              <span class="label">Name</span>
              <input
                name="name"
                readOnly={readOnly()}
                ref={(el) => bindFieldValue(el, () => props.meta.name)}
                aria-invalid={nameError() ? 'true' : undefined}
                onChange={(e) => commitName(e.currentTarget)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') commitName(e.currentTarget);
                }}
              />
            </label>
            <Show when={nameError()}>
              <p class="field-problem" role="alert">
                {nameError()}
              </p>
            </Show>
            <TagInput tags={props.meta.tags} readOnly={readOnly()} onChange={(tags) => edit({ tags })} />
            <label class="field">
              <span class="label">Room profile</span>
              <input
                name="roomProfile"
                placeholder={readOnly() ? '—' : 'e.g. Stage A S6'}
                readOnly={readOnly()}
                ref={(el) => bindFieldValue(el, () => props.meta.roomProfile)}
                onChange={(e) => edit({ roomProfile: e.currentTarget.value })}
              />
            </label>
            <RoomSurfaceField room={props.meta.room} readOnly={readOnly()} onChange={(room) => edit({ room })} />
            <label class="field">
              <span class="label">Notes</span>
              <textarea
                name="notes"
                rows={4}
                placeholder={readOnly() ? '—' : undefined}
                readOnly={readOnly()}
                ref={(el) => bindFieldValue(el, () => props.meta.notes)}
                onChange={(e) => edit({ notes: e.currentTarget.value })}
              />
            </label>
            <dl class="facts">
              <dt>Kind</dt>
              <dd>{KIND_LABELS[props.meta.kind]}</dd>
              <dt>Created</dt>
              <dd>{props.meta.createdAt ? dateFormat.format(props.meta.createdAt) : '—'}</dd>
              <dt>Last edited</dt>
              <dd>{props.meta.updatedAt ? dateFormat.format(props.meta.updatedAt) : '—'}</dd>
              <dt>Id</dt>
              <dd>
                <code>{props.handle.id}</code>
              </dd>
            </dl>
          </section>
        </div>
      </ReadOnlyContext.Provider>
    </>
  );
}
