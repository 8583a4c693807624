/**
 * Connects one open document to the relay with the stock y-websocket provider and reports
 * its sync state. The provider attaches to the Y.Doc beside y-indexeddb; neither knows the
 * other: updates from the relay are stored locally like any other.
 */
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { SyncState } from './sync-state.ts';

export interface DocSync {
  readonly provider: WebsocketProvider;
  state(): SyncState;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onState(listener: (state: SyncState) => void): () => void;
  /** Connects (true) or disconnects (false, sync turned off); the network's state still applies. */
  setActive(active: boolean): void;
  /** Resolves true once the first exchange with the relay is complete, false on timeout. */
  whenSynced(timeoutMs: number): Promise<boolean>;
  destroy(): void;
}

export function relayUrl(origin: string = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}/sync`;
}

/**
 * A secret per page load, sent as `presenceKey` on every connection: after a disconnect the
 * relay keeps this tab's presence client ids reserved to it, so nobody who saw them (every
 * peer does) can show under this person's name before the tab reconnects (docs/relay.md).
 */
// getRandomValues, not randomUUID: the latter needs a secure context; a studio LAN over http is not one.
const randomBytes = crypto.getRandomValues(new Uint8Array(16));
const presenceKey = Array.from(randomBytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function connectDocSync(doc: Y.Doc, id: string, serverUrl: string = relayUrl()): DocSync {
  let active = true;
  const provider = new WebsocketProvider(serverUrl, id, doc, {
    maxBackoffTime: 10_000,
    connect: navigator.onLine,
    params: { presenceKey },
  });
  const listeners = new Set<(state: SyncState) => void>();
  let refused = false;
  let current: SyncState = 'syncing';
  const compute = (): SyncState => {
    if (refused) return 'error';
    if (!navigator.onLine) return 'offline';
    if (provider.synced) return 'synced';
    // After a few failed attempts in a row the relay is unreachable, not just slow.
    if (!provider.wsconnected && provider.wsUnsuccessfulReconnects >= 2) return 'offline';
    return 'syncing';
  };
  const update = () => {
    const next = compute();
    if (next !== current) {
      current = next;
      for (const listener of listeners) listener(next);
    }
  };
  provider.on('status', update);
  provider.on('sync', update);
  provider.on('connection-close', update);
  provider.on('connection-error', update);
  provider.on('closed', () => {
    refused = true;
    update();
  });
  // The device's network state drives the socket: an open socket can outlive the network by
  // the provider's 30 s watchdog, and on return we want to resync at once, not after back-off.
  const onNetwork = () => {
    if (navigator.onLine && active) provider.connect();
    else provider.disconnect();
    update();
  };
  window.addEventListener('online', onNetwork);
  window.addEventListener('offline', onNetwork);
  update();

  return {
    provider,
    state: () => current,
    setActive(value) {
      active = value;
      onNetwork();
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    whenSynced(timeoutMs) {
      if (provider.synced) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          provider.off('sync', onSync);
          resolve(false);
        }, timeoutMs);
        const onSync = (synced: boolean) => {
          if (synced) {
            clearTimeout(timer);
            provider.off('sync', onSync);
            resolve(true);
          }
        };
        provider.on('sync', onSync);
      });
    },
    destroy() {
      window.removeEventListener('online', onNetwork);
      window.removeEventListener('offline', onNetwork);
      listeners.clear();
      provider.destroy();
    },
  };
}
