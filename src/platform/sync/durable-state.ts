/**
 * What of one document is saved where (issue 11): on this device (the local store has it) and
 * on the server (the relay said it is committed: src/core/sync/durable-message.ts). Registers
 * the durable message on the y-websocket provider (an unknown kind would only be logged) and
 * compares the confirmed state vector with this device's own edits.
 *
 * What arrives from the relay counts as confirmed: the relay sends an update only after its
 * commit, and acknowledges only the connections that wrote.
 *
 * "Changes waiting to upload" counts this device's own transactions since it opened the
 * document that the server has not confirmed; a state vector ahead of the server's for any
 * other writer (e.g. edits made here before a reload) counts as one more.
 */
import * as decoding from 'lib0/decoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MESSAGE_DURABLE } from '../../core/sync/durable-message.ts';

export type SaveState =
  | { kind: 'offline'; waiting: number }
  | { kind: 'device' }
  | { kind: 'waiting'; waiting: number }
  | { kind: 'server'; at: number };

export interface DurableTracker {
  state(): SaveState;
  /** Subscribes to changes; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  destroy(): void;
}

const ahead = (local: Map<number, number>, confirmed: Map<number, number>): boolean => {
  for (const [client, clock] of local) if (clock > (confirmed.get(client) ?? 0)) return true;
  return false;
};

/** `online()` says whether the relay can be reached now; `now` stamps confirmations. */
export function trackDurable(
  doc: Y.Doc,
  provider: WebsocketProvider,
  online: () => boolean,
  now: () => number = Date.now,
): DurableTracker {
  let confirmed = new Map<number, number>();
  let confirmedAt = 0;
  /** End clocks of this device's own transactions not yet confirmed. */
  let pending: number[] = [];
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const l of listeners) l();
  };

  const confirm = (sv: Map<number, number>) => {
    const next = new Map(confirmed);
    for (const [client, clock] of sv) if (clock > (next.get(client) ?? 0)) next.set(client, clock);
    confirmed = next;
  };
  const handlers = provider.messageHandlers as Array<(...args: unknown[]) => void>;
  handlers[MESSAGE_DURABLE] = (_encoder: unknown, decoder: unknown) => {
    confirm(Y.decodeStateVector(decoding.readVarUint8Array(decoder as decoding.Decoder)));
    confirmedAt = now();
    const mine = confirmed.get(doc.clientID) ?? 0;
    pending = pending.filter((end) => end > mine);
    changed();
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === provider) {
      // The relay sends an update only once it is committed, so what arrives is saved on the
      // server already: the relay acknowledges only writers (sync-server/relay/durable-ack.ts).
      confirm(Y.parseUpdateMeta(update).to); // end clocks per writer (encodeStateVectorFromUpdate counts only runs from clock 0)
      if (confirmedAt > 0) confirmedAt = now();
      changed();
      return;
    }
    const end = Y.getState(doc.store, doc.clientID);
    if (pending.length === 0 || pending[pending.length - 1]! < end) {
      pending.push(end);
      changed();
    }
  };
  doc.on('update', onUpdate);
  provider.on('status', changed);

  return {
    state(): SaveState {
      const local = Y.decodeStateVector(Y.encodeStateVector(doc));
      const waiting = pending.length + (pending.length === 0 && confirmedAt > 0 && ahead(local, confirmed) ? 1 : 0);
      if (!online()) return { kind: 'offline', waiting };
      if (confirmedAt === 0) return pending.length ? { kind: 'waiting', waiting: pending.length } : { kind: 'device' };
      if (waiting > 0) return { kind: 'waiting', waiting };
      return { kind: 'server', at: confirmedAt };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      doc.off('update', onUpdate);
      provider.off('status', changed);
      delete handlers[MESSAGE_DURABLE];
      listeners.clear();
    },
  };
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** The words a person reads. */
export function describeSaveState(s: SaveState): string {
  switch (s.kind) {
    case 'offline':
      return s.waiting ? `Offline: ${s.waiting} change${s.waiting === 1 ? '' : 's'} waiting to upload` : 'Offline';
    case 'device':
      return 'Saved on this device';
    case 'waiting':
      return `${s.waiting} change${s.waiting === 1 ? '' : 's'} waiting to upload`;
    case 'server':
      return `Saved on server, ${timeFormat.format(s.at)}`;
  }
}
