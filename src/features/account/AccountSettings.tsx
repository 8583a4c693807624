/**
 * Settings › Account: sign in with a PIN; once signed in, the consent to attach this device's
 * library, devices, friends and sharing, API tokens, security activity, export and deletion.
 */
import { createEffect, createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { accountApi, type Me } from '../../platform/account/account-api.ts';
import { accountErrorText } from './account-action.ts';
import { useApp } from '../../app/app-context.ts';
import { ApiTokens } from './ApiTokens.tsx';
import { DevicesList } from './DevicesList.tsx';
import { FriendsAndSharing } from './FriendsAndSharing.tsx';
import { ServerTrash } from './ServerTrash.tsx';
import { SignInForm } from './SignInForm.tsx';

export function AccountSettings() {
  const { account } = useApp();
  const [me, { mutate }] = createResource(async () => {
    try {
      return await accountApi.me();
    } catch {
      return undefined; // offline: unknown, not signed out
    }
  });
  // The shell's view of the account (its documents, shares) follows what this page learns.
  createEffect(() => {
    const known = me();
    if (me.state === 'ready' && known !== undefined) void account.setSignedIn(known !== null);
  });
  return (
    <div class="card account" data-testid="account">
      <h2>Account</h2>
      <Show when={me.state !== 'pending'} fallback={<p class="hint">Checking…</p>}>
        <Show when={me()} fallback={<SignInForm onSignedIn={(m) => mutate(m)} />}>
          {(account) => <SignedIn me={account()} onSignedOut={() => mutate(null)} />}
        </Show>
      </Show>
    </div>
  );
}

function SignedIn(props: { me: Me; onSignedOut(): void }) {
  const { library, account } = useApp();
  const [attachNote, setAttachNote] = createSignal('');
  const [activity] = createResource(accountApi.activity);
  const [inAccount, { refetch: refetchInAccount }] = createResource(accountApi.documents);
  onCleanup(account.subscribe(() => void refetchInAccount()));
  const attach = async () => {
    const entries = (await library.list()).filter((e) => e.deletedAt === null && !e.damaged);
    const result = await accountApi.attach(
      entries.map((e) => ({
        id: e.id,
        name: e.name,
        kind: e.kind,
        tags: e.tags,
        notes: e.notes,
        roomProfile: e.roomProfile,
        updatedAt: e.updatedAt,
      })),
    );
    setAttachNote(
      `${result.attached.length} documents are in your account now${result.refused.length ? `; ${result.refused.length} belong to another account` : ''}.`,
    );
    await Promise.all([refetchInAccount(), account.refresh()]);
  };
  const signOut = async () => {
    await accountApi.signOut();
    props.onSignedOut();
  };
  const deleteAccount = async () => {
    if (
      !confirm(
        'Delete your account? You are signed out everywhere at once; everything is purged in 30 days unless you sign in again before then.',
      )
    )
      return;
    try {
      await accountApi.deleteAccount();
      props.onSignedOut();
    } catch (error) {
      alert(accountErrorText(error));
    }
  };
  return (
    <div class="account-signed-in">
      <div class="row">
        <p>
          Signed in as <strong data-testid="account-email">{props.me.email}</strong>
        </p>
        <button class="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
      <section aria-labelledby="attach-title">
        <h3 id="attach-title">This device's library</h3>
        <p class="hint">
          Nothing leaves this device without your say-so. Attach the library to sync it to your other devices (document
          names, tags and notes go to the server; audio never does).
        </p>
        <button class="button primary" onClick={() => void attach()}>
          Attach this device's library to my account
        </button>
        <Show when={attachNote()}>
          <p class="hint" role="status">
            {attachNote()}
          </p>
        </Show>
        <h3>In your account</h3>
        <ul class="account-list compact" data-testid="account-documents">
          <For each={inAccount()?.documents ?? []} fallback={<li class="hint">No documents yet.</li>}>
            {(d) => (
              <li>
                <a href={`/doc/${encodeURIComponent(d.id)}`}>{d.name}</a>
                <span class="hint">{d.roomProfile}</span>
              </li>
            )}
          </For>
        </ul>
      </section>
      <ServerTrash />
      <DevicesList onSignedOut={props.onSignedOut} />
      <FriendsAndSharing />
      <ApiTokens />
      <section aria-labelledby="activity-title">
        <h3 id="activity-title">Security activity</h3>
        <ul class="account-list compact" data-testid="activity">
          <For each={(activity() ?? []).slice(0, 12)}>
            {(e) => (
              <li>
                <span>{new Date(e.at).toLocaleString()}</span>
                <span>{e.event}</span>
                <span class="hint">
                  {e.device} · {e.ip}
                  {e.detail ? ` · ${e.detail}` : ''}
                </span>
              </li>
            )}
          </For>
        </ul>
      </section>
      <section aria-labelledby="data-title">
        <h3 id="data-title">Your data</h3>
        <div class="row">
          <a class="button" href="/api/export" download="">
            Export my data
          </a>
          <button class="button danger" onClick={() => void deleteAccount()}>
            Delete my account
          </button>
        </div>
      </section>
    </div>
  );
}
