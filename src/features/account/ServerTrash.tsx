/**
 * The account's Trash on the server: documents moved to Trash on any device, restorable for
 * 30 days, then purged. Restore and "Delete forever" act on this device's copy too, so the
 * library and the server agree (a copy left in the local Trash would move it back).
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { useApp } from '../../app/app-context.ts';
import { accountApi } from '../../platform/account/account-api.ts';
import { accountAction } from './account-action.ts';

const day = (ms: number) => new Date(ms).toLocaleDateString();

export function ServerTrash() {
  const { library, account } = useApp();
  const [trash, { refetch }] = createResource(accountApi.trash);
  const [message, setMessage] = createSignal('');
  const hasLocal = async (id: string) => (await library.list()).some((e) => e.id === id);
  const act = accountAction(setMessage, () => Promise.all([refetch(), account.refresh()]));
  const restore = (id: string) =>
    act(async () => {
      await accountApi.restoreDocument(id);
      if (await hasLocal(id)) await library.restore(id);
    });
  const purge = (id: string, name: string) => {
    if (!confirm(`Delete ${name} forever, on the server and on this device?`)) return;
    void act(async () => {
      await accountApi.purgeDocument(id);
      if (await hasLocal(id)) await library.purge(id);
    });
  };
  return (
    <section aria-labelledby="server-trash-title">
      <h3 id="server-trash-title">Trash on the server</h3>
      <Show when={message()}>
        <p class="hint" role="status">
          {message()}
        </p>
      </Show>
      <ul class="account-list" data-testid="server-trash">
        <For each={trash() ?? []} fallback={<li class="hint">The server's Trash is empty.</li>}>
          {(d) => (
            <li>
              <span>
                <strong>{d.name}</strong>
                <br />
                <span class="hint">
                  deleted {day(d.deletedAt)} · purged {day(d.purgeAt)}
                </span>
              </span>
              <span class="row">
                <button class="button" onClick={() => void restore(d.id)}>
                  Restore
                </button>
                <button class="button danger" onClick={() => purge(d.id, d.name)}>
                  Delete forever
                </button>
              </span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
