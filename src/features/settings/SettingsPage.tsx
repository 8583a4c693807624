/** Settings: how much this device lends Mixdesk, and whether it may evict it. */
import { createResource, Show, type JSX } from 'solid-js';
import { IdentitySettings } from './IdentitySettings.tsx';
import { formatBytes, readStorageStatus, requestPersistence } from '../../platform/storage/quota.ts';

/** `account` is the account section; the shell passes it so settings never reach into the account feature. */
export function SettingsPage(props: { account?: JSX.Element }) {
  const [status, { refetch }] = createResource(readStorageStatus);
  const persist = async () => {
    await requestPersistence();
    await refetch();
  };
  const share = () => {
    const s = status();
    return s?.usage != null && s.quota ? Math.min(100, (s.usage / s.quota) * 100) : null;
  };
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">Settings</h1>
      </header>
      {props.account}
      <IdentitySettings />
      <div class="card">
        <h2>Storage on this device</h2>
        <Show when={status()} fallback={<p class="hint">Reading storage…</p>}>
          {(s) => (
            <>
              <dl class="facts">
                <dt>Used</dt>
                <dd data-testid="storage-used">{formatBytes(s().usage)}</dd>
                <dt>Available</dt>
                <dd data-testid="storage-available">
                  {s().quota != null && s().usage != null ? formatBytes(s().quota! - s().usage!) : 'unknown'}
                </dd>
                <dt>Protected from eviction</dt>
                <dd data-testid="storage-persisted">
                  {s().persisted === null ? 'unknown' : s().persisted ? 'Yes' : 'No'}
                </dd>
              </dl>
              <Show when={s().usage === null && s().persisted === null}>
                <p class="hint" data-testid="storage-unreported">
                  This browser does not tell web apps how much storage they use or whether it may clear it (no
                  StorageManager), so Mixdesk cannot show it here. Your documents are saved all the same; export the
                  ones you cannot lose.
                </p>
              </Show>
              <Show when={share() !== null}>
                <meter
                  class="storage-meter"
                  min={0}
                  max={100}
                  value={share()!}
                  aria-label="Share of available storage used"
                />
              </Show>
              <Show when={s().persisted === false}>
                <p class="hint">The browser may clear Mixdesk's data when the device runs low on space.</p>
                <button class="button" onClick={persist}>
                  Ask to keep data
                </button>
              </Show>
            </>
          )}
        </Show>
      </div>
      <div class="card">
        <h2>About</h2>
        <dl class="facts">
          <dt>Version</dt>
          <dd data-testid="build-id">{__MIXDESK_BUILD__}</dd>
        </dl>
      </div>
    </section>
  );
}
