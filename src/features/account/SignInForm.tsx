/** Sign in (or sign up) with an email and the one-time PIN the server mails; no passwords. */
import { createSignal, Show } from 'solid-js';
import { accountApi, type Me } from '../../platform/account/account-api.ts';
import { accountErrorText } from './account-action.ts';

export function SignInForm(props: { onSignedIn(me: Me): void }) {
  const [email, setEmail] = createSignal('');
  const [pinSent, setPinSent] = createSignal(false);
  const [pin, setPin] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal('');
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem('');
    try {
      await work();
    } catch (error) {
      setProblem(accountErrorText(error));
    } finally {
      setBusy(false);
    }
  };
  const send = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await accountApi.requestPin(email());
      setPinSent(true);
    });
  };
  const verify = (event: Event) => {
    event.preventDefault();
    void run(async () => props.onSignedIn(await accountApi.verifyPin(email(), pin().trim())));
  };
  return (
    <div class="account-signin">
      <p class="hint">
        No account is needed to use Mixdesk. An account syncs your library across devices and lets you share documents,
        read-only, with friends.
      </p>
      <Show
        when={!pinSent()}
        fallback={
          <form class="row" onSubmit={verify}>
            <label class="field">
              <span class="label">PIN sent to {email()}</span>
              <input
                name="pin"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                required
                value={pin()}
                onInput={(e) => setPin(e.currentTarget.value)}
              />
            </label>
            <button class="button primary" type="submit" disabled={busy()}>
              Sign in
            </button>
            <button
              class="button"
              type="button"
              onClick={() => {
                setPinSent(false);
                setPin('');
              }}
            >
              Use another address
            </button>
          </form>
        }
      >
        <form class="row" onSubmit={send}>
          <label class="field grow">
            <span class="label">Email</span>
            <input
              name="email"
              type="email"
              autocomplete="email"
              required
              maxLength={254}
              value={email()}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          <button class="button primary" type="submit" disabled={busy()}>
            Send me a PIN
          </button>
        </form>
      </Show>
      <Show when={problem()}>
        <p class="problem" role="alert">
          {problem()}
        </p>
      </Show>
    </div>
  );
}
