/**
 * "Update available - reload": the service worker waits with a new version until the user
 * says so, so an edit in progress is never interrupted by a reload. An app left open for days
 * checks for a new version every hour.
 */
import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW: (_url, registration) => {
      // A check that fails (offline after all, server down) is not the user's problem: the next one retries.
      if (registration)
        setInterval(() => {
          if (navigator.onLine) registration.update().catch(() => {});
        }, UPDATE_CHECK_MS);
    },
    onRegisterError: (error) => console.error('Service worker registration failed', error),
  });
  const reload = async () => {
    // workbox-window reloads by itself only for an update it found at registration; one found
    // later (the hourly check) takes control without reloading, so we reload on the switch.
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    await updateServiceWorker(true);
  };
  return (
    <>
      <Show when={needRefresh()}>
        <div class="banner update" role="alert">
          <span>A new version of Mixdesk is available.</span>
          <button class="button primary" onClick={() => void reload()}>
            Reload
          </button>
          <button class="button" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="banner" role="status" data-testid="offline-ready">
          <span>Mixdesk is ready to work offline.</span>
          <button class="button" onClick={() => setOfflineReady(false)}>
            OK
          </button>
        </div>
      </Show>
    </>
  );
}
