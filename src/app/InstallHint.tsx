/**
 * iPad and iPhone Safari have no install prompt: tell the user how to add Mixdesk to the
 * Home Screen, once, unless it already runs installed.
 */
import { createSignal, Show } from 'solid-js';

const DISMISSED_KEY = 'mixdesk.installHintDismissed';

export function isIosSafariNotInstalled(): boolean {
  const ua = navigator.userAgent;
  // iPadOS 13+ reports itself as a Mac; touch points tell them apart.
  const ios = /iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  const standalone =
    (navigator as Navigator & { standalone?: boolean }).standalone === true ||
    matchMedia('(display-mode: standalone)').matches;
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua) && !standalone;
}

export function InstallHint() {
  const [show, setShow] = createSignal(isIosSafariNotInstalled() && localStorage.getItem(DISMISSED_KEY) !== '1');
  const dismiss = () => {
    localStorage.setItem(DISMISSED_KEY, '1');
    setShow(false);
  };
  return (
    <Show when={show()}>
      <div class="banner" role="note" data-testid="install-hint">
        <span>
          Install Mixdesk: tap <strong>Share</strong> <span aria-hidden="true">⎋</span>, then{' '}
          <strong>Add to Home Screen</strong>. It then opens full screen and works offline.
        </span>
        <button class="button" onClick={dismiss}>
          Got it
        </button>
      </div>
    </Show>
  );
}
