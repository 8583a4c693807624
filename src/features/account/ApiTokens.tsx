/** Personal API tokens for the command line: created here, shown once, revocable. */
import { createResource, createSignal, For, Show } from 'solid-js';
import { accountApi } from '../../platform/account/account-api.ts';

export function ApiTokens() {
  const [tokens, { refetch }] = createResource(accountApi.tokens);
  const [name, setName] = createSignal('');
  const [fresh, setFresh] = createSignal('');
  const create = async (event: Event) => {
    event.preventDefault();
    const created = await accountApi.createToken(name() || 'Command line');
    setFresh(created.token);
    setName('');
    await refetch();
  };
  return (
    <section aria-labelledby="tokens-title">
      <h3 id="tokens-title">API tokens</h3>
      <p class="hint">
        For <code>mixdesk</code> on the command line: send it as <code>Authorization: Bearer …</code>.
      </p>
      <form class="row" onSubmit={(e) => void create(e)}>
        <label class="field grow">
          <span class="label">Token name</span>
          <input
            name="tokenName"
            maxLength={80}
            value={name()}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="Studio laptop CLI"
          />
        </label>
        <button class="button" type="submit">
          Create token
        </button>
      </form>
      <Show when={fresh()}>
        <p class="banner update" role="status">
          Copy it now, it is shown only once: <code data-testid="new-token">{fresh()}</code>
        </p>
      </Show>
      <ul class="account-list">
        <For each={tokens() ?? []}>
          {(t) => (
            <li>
              <span>
                <strong>{t.name}</strong>
                <br />
                <span class="hint">
                  created {new Date(t.createdAt).toLocaleDateString()}
                  {t.lastUsedAt ? ` · last used ${new Date(t.lastUsedAt).toLocaleString()}` : ' · never used'}
                </span>
              </span>
              <button class="button danger" onClick={() => void accountApi.revokeToken(t.id).then(refetch)}>
                Revoke
              </button>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
