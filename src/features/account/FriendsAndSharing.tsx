/**
 * Friends (requests by email, accept/decline, remove), read-only sharing of one's own synced
 * documents with friends (revocable), and the documents friends share with you.
 */
import { createResource, createSignal, For, Show } from 'solid-js';
import { accountApi } from '../../platform/account/account-api.ts';
import { accountAction } from './account-action.ts';

export function FriendsAndSharing() {
  const [friends, { refetch: refetchFriends }] = createResource(accountApi.friends);
  const [docs, { refetch: refetchDocs }] = createResource(accountApi.documents);
  const [email, setEmail] = createSignal('');
  const [message, setMessage] = createSignal('');
  const [docId, setDocId] = createSignal('');
  const [friendEmail, setFriendEmail] = createSignal('');
  const [shares, { refetch: refetchShares }] = createResource(docId, (id) =>
    id ? accountApi.shares(id) : Promise.resolve([]),
  );
  const act = accountAction(setMessage, () => Promise.all([refetchFriends(), refetchDocs(), refetchShares()]));
  const request = (event: Event) => {
    event.preventDefault();
    void act(async () => {
      setMessage((await accountApi.requestFriend(email())).message);
      setEmail('');
    });
  };
  const share = (event: Event) => {
    event.preventDefault();
    void act(() => accountApi.share(docId(), friendEmail()));
  };
  return (
    <>
      <section aria-labelledby="friends-title">
        <h3 id="friends-title">Friends</h3>
        <form class="row" onSubmit={request}>
          <label class="field grow">
            <span class="label">Friend's email</span>
            <input
              name="friendEmail"
              type="email"
              required
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          <button class="button" type="submit">
            Send friend request
          </button>
        </form>
        <Show when={message()}>
          <p class="hint" role="status">
            {message()}
          </p>
        </Show>
        <ul class="account-list" data-testid="friend-requests">
          <For each={friends()?.incoming ?? []}>
            {(r) => (
              <li>
                <span>
                  <strong>{r.email}</strong> wants to be friends
                </span>
                <span class="row">
                  <button class="button primary" onClick={() => void act(() => accountApi.acceptFriend(r.id))}>
                    Accept
                  </button>
                  <button class="button" onClick={() => void act(() => accountApi.declineFriend(r.id))}>
                    Decline
                  </button>
                </span>
              </li>
            )}
          </For>
          <For each={friends()?.outgoing ?? []}>
            {(r) => (
              <li>
                <span>
                  {r.email} <span class="hint">(request sent)</span>
                </span>
                <button class="button" onClick={() => void act(() => accountApi.removeFriend(r.id))}>
                  Cancel
                </button>
              </li>
            )}
          </For>
        </ul>
        <ul class="account-list" data-testid="friends">
          <For each={friends()?.friends ?? []}>
            {(f) => (
              <li>
                <span>
                  <strong>{f.email}</strong>
                </span>
                <button class="button danger" onClick={() => void act(() => accountApi.removeFriend(f.id))}>
                  Remove
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>

      <section aria-labelledby="share-title">
        <h3 id="share-title">Share read-only</h3>
        <p class="hint">
          A friend sees the document live but cannot change it. Revoking closes it on their side at once.
        </p>
        <form class="row" onSubmit={share}>
          <label class="field grow">
            <span class="label">Document</span>
            <select name="shareDocument" value={docId()} onChange={(e) => setDocId(e.currentTarget.value)}>
              <option value="">Choose a synced document…</option>
              <For each={docs()?.documents ?? []}>{(d) => <option value={d.id}>{d.name}</option>}</For>
            </select>
          </label>
          <label class="field grow">
            <span class="label">Friend</span>
            <select name="shareFriend" value={friendEmail()} onChange={(e) => setFriendEmail(e.currentTarget.value)}>
              <option value="">Choose a friend…</option>
              <For each={friends()?.friends ?? []}>{(f) => <option value={f.email}>{f.email}</option>}</For>
            </select>
          </label>
          <button class="button primary" type="submit" disabled={!docId() || !friendEmail()}>
            Share read-only
          </button>
        </form>
        <ul class="account-list" data-testid="shares">
          <For each={shares() ?? []}>
            {(s) => (
              <li>
                <span>
                  {s.email} <span class="hint">can read</span>
                </span>
                <button
                  class="button danger"
                  onClick={() => void act(() => accountApi.revokeShare(docId(), s.accountId))}
                >
                  Revoke
                </button>
              </li>
            )}
          </For>
        </ul>
      </section>

      <section aria-labelledby="shared-title">
        <h3 id="shared-title">Shared with me</h3>
        <Show when={(docs()?.sharedWithMe ?? []).length > 0} fallback={<p class="hint">Nothing yet.</p>}>
          <ul class="account-list" data-testid="shared-with-me">
            <For each={docs()?.sharedWithMe ?? []}>
              {(d) => (
                <li>
                  <span>
                    <a href={`/doc/${encodeURIComponent(d.id)}`}>{d.name}</a>
                    <br />
                    <span class="hint">from {d.owner} · read-only</span>
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </>
  );
}
