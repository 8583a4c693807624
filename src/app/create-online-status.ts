/** navigator.onLine as a signal. Owner-bound. */
import { createSignal, onCleanup, type Accessor } from 'solid-js';

export function createOnlineStatus(): Accessor<boolean> {
  const [online, setOnline] = createSignal(navigator.onLine);
  const update = () => setOnline(navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  onCleanup(() => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  });
  return online;
}
