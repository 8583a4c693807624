/**
 * "Update available - reload": the service worker waits with a new version until the user
 * says so, so an edit in progress is never interrupted by a reload.
 */
import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

export function UpdatePrompt() {
  const { needRefresh: [needRefresh, setNeedRefresh], offlineReady: [offlineReady, setOfflineReady], updateServiceWorker } = useRegisterSW({
    onRegisterError: (error) => console.error('Service worker registration failed', error),
  });
  return (
    <>
      <Show when={needRefresh()}>
        <div class="banner update" role="alert">
          <span>A new version of Mixdesk is available.</span>
          <button class="button primary" onClick={() => void updateServiceWorker(true)}>Reload</button>
          <button class="button" onClick={() => setNeedRefresh(false)}>Later</button>
        </div>
      </Show>
      <Show when={offlineReady()}>
        <div class="banner" role="status" data-testid="offline-ready">
          <span>Mixdesk is ready to work offline.</span>
          <button class="button" onClick={() => setOfflineReady(false)}>OK</button>
        </div>
      </Show>
    </>
  );
}
