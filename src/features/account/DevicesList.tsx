/** The account's signed-in devices, with "sign out this device" and "sign out everywhere". */
import { createResource, For, Show } from 'solid-js';
import { accountApi } from '../../platform/account/account-api.ts';

const when = (ms: number) => new Date(ms).toLocaleString();

export function DevicesList(props: { onSignedOut(): void }) {
  const [devices, { refetch }] = createResource(accountApi.devices);
  const signOut = async (id: string, current: boolean) => {
    await accountApi.signOutDevice(id);
    if (current) props.onSignedOut();
    else await refetch();
  };
  const everywhere = async () => {
    await accountApi.signOut(true);
    props.onSignedOut();
  };
  return (
    <section aria-labelledby="devices-title">
      <h3 id="devices-title">Devices</h3>
      <ul class="account-list" data-testid="devices">
        <For each={devices() ?? []}>
          {(d) => (
            <li>
              <span>
                <strong>{d.device}</strong>
                {d.current ? ' (this device)' : ''}
                <br />
                <span class="hint">
                  first seen {when(d.createdAt)} · last seen {when(d.lastSeenAt)}
                </span>
              </span>
              <button class="button" onClick={() => void signOut(d.id, d.current)}>
                Sign out this device
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={(devices() ?? []).length > 0}>
        <button class="button danger" onClick={() => void everywhere()}>
          Sign out everywhere
        </button>
      </Show>
    </section>
  );
}
