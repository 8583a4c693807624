/**
 * Sync for the whole library. Open documents keep a live connection to the relay; every
 * other document is synced in the background, a few at a time (a library of 500 documents
 * never opens 500 sockets), each costing one round trip when nothing changed: the provider
 * sends its state vector and receives only what it lacks. Non-reactive (`make*`); the UI
 * subscribes.
 */
import type { DocHandle } from '../docs/doc-store.ts';
import { trackDurable, type SaveState } from './durable-state.ts';
import type { SyncState } from './sync-state.ts';
import { connectDocSync, type DocSync } from './websocket-doc-sync.ts';

export interface SyncServiceOptions {
  /** Opens a document for a background pass (with the library's damage checks). */
  load(id: string): Promise<DocHandle>;
  /** Called after a background pass brought changes into a document, to refresh its index row. */
  onChanged(id: string, handle: DocHandle): Promise<void>;
  serverUrl?: string;
  concurrency?: number;
  /** How long one document may take in a background pass before it is reported offline. */
  passTimeoutMs?: number;
  /** How long a background pass waits, once synced, for the relay to say what it has stored. */
  durableWaitMs?: number;
  enabledKey?: string;
}

type Listener = (id: string, state: SyncState) => void;

export type SyncService = ReturnType<typeof makeSyncService>;

export function makeSyncService(options: SyncServiceOptions) {
  const {
    concurrency = 4,
    passTimeoutMs = 15_000,
    durableWaitMs = 3_000,
    enabledKey = 'mixdesk.syncEnabled',
  } = options;
  const states = new Map<string, SyncState>();
  /** What the last background pass learned of each document's save state (library rows show it). */
  const saved = new Map<string, SaveState>();
  const listeners = new Set<Listener>();
  const live = new Map<string, { sync: DocSync; users: number; stop: () => void }>();
  let enabled = localStorage.getItem(enabledKey) !== 'off';
  let passRunning: Promise<void> | null = null;
  let passWanted = false;

  const setState = (id: string, state: SyncState) => {
    if (states.get(id) === state) return;
    states.set(id, state);
    for (const listener of listeners) listener(id, state);
  };

  async function syncOne(id: string): Promise<void> {
    if (live.has(id) || !enabled) return;
    let handle: DocHandle;
    try {
      handle = await options.load(id);
    } catch {
      setState(id, 'error');
      return;
    }
    const sync = connectDocSync(handle.doc, id, options.serverUrl);
    let changed = false;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === sync.provider) changed = true;
    };
    handle.doc.on('update', onUpdate);
    // The relay acknowledges what it has committed once this exchange is durable.
    const durable = trackDurable(handle.doc, sync.provider, () => sync.state() !== 'offline');
    try {
      setState(id, 'syncing');
      const synced = await sync.whenSynced(passTimeoutMs);
      if (synced) {
        await new Promise<void>((resolve) => {
          const done = () => {
            if (durable.state().kind !== 'server') return;
            stop();
            clearTimeout(timer);
            resolve();
          };
          const stop = durable.onChange(done);
          const timer = setTimeout(() => {
            stop();
            resolve();
          }, durableWaitMs);
          done();
        });
        saved.set(id, durable.state());
      }
      setState(id, synced ? 'synced' : sync.state() === 'error' ? 'error' : 'offline');
      if (changed) await options.onChanged(id, handle);
    } finally {
      durable.destroy();
      handle.doc.off('update', onUpdate);
      // A document opened meanwhile keeps its own connection; this one is done.
      sync.destroy();
      await handle.close();
    }
  }

  return {
    enabled: () => enabled,
    setEnabled(value: boolean) {
      enabled = value;
      localStorage.setItem(enabledKey, value ? 'on' : 'off');
      for (const [id, entry] of live) {
        entry.sync.setActive(value);
        if (!value) setState(id, 'local-only');
      }
    },
    // Never "Syncing" while the device is offline: nothing can be exchanged then.
    stateOf: (id: string): SyncState =>
      !enabled
        ? 'local-only'
        : typeof navigator !== 'undefined' && !navigator.onLine
          ? 'offline'
          : (states.get(id) ?? 'syncing'),
    /** What the last background pass learned of a document's save state, if any. */
    saveStateOf: (id: string): SaveState | null => saved.get(id) ?? null,
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** A live connection for an open document, shared by every view of it; returns its release. */
    attach(handle: DocHandle): { sync: DocSync; release: () => void } {
      let entry = live.get(handle.id);
      if (!entry) {
        const sync = connectDocSync(handle.doc, handle.id, options.serverUrl);
        if (!enabled) sync.setActive(false);
        const stop = sync.onState((state) => {
          if (enabled) setState(handle.id, state);
        });
        if (enabled) setState(handle.id, sync.state());
        entry = { sync, users: 0, stop };
        live.set(handle.id, entry);
      }
      entry.users++;
      const attached = entry;
      let released = false;
      return {
        sync: attached.sync,
        release: () => {
          if (released) return;
          released = true;
          if (--attached.users > 0) return;
          attached.stop();
          attached.sync.destroy();
          live.delete(handle.id);
        },
      };
    },

    /**
     * Syncs the given documents in the background with bounded concurrency. A call while a
     * pass runs schedules one more pass after it, so nothing asked for is skipped.
     */
    syncAll(ids: () => Promise<string[]>): Promise<void> {
      if (passRunning) {
        passWanted = true;
        return passRunning;
      }
      passRunning = (async () => {
        do {
          passWanted = false;
          if (!enabled || !navigator.onLine) break;
          const queue = (await ids()).filter((id) => !live.has(id));
          const worker = async () => {
            for (let id = queue.shift(); id !== undefined; id = queue.shift()) await syncOne(id);
          };
          await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
        } while (passWanted);
      })().finally(() => {
        passRunning = null;
      });
      return passRunning;
    },
  };
}
