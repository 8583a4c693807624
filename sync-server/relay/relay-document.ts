/**
 * RelayDocument: one loaded document on the relay, its Y.Doc, its awareness (presence) and
 * its local connections.
 *
 * An accepted change goes: applied to the Y.Doc (which validates it and yields the effective
 * update) -> appended to persistence (durable) -> published on the fan-out -> sent to the
 * other connections. Appends are chained per document, so broadcasts keep their order.
 * Messages that reach the fan-out from another relay process are applied with REMOTE as
 * origin and only forwarded, never persisted twice.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { durableAfterCommit } from './durable-ack.ts';
import type { Fanout, FanoutMessage } from './fanout.ts';
import type { RelayHooks } from './hooks.ts';
import type { RelayLogger } from './logger.ts';
import type { DocPersistence } from './persistence.ts';
import { encodeAwareness, encodeUpdate } from './protocol.ts';
import type { RelayConnection } from './relay-connection.ts';

const REMOTE = Symbol('remote relay');

/** Transaction origins are connections when a client sent the change (checked structurally to avoid an import cycle). */
function asConnection(origin: unknown): RelayConnection | null {
  return typeof origin === 'object' && origin !== null && 'awarenessIds' in origin ? origin as RelayConnection : null;
}

export interface DocumentServices {
  persistence: DocPersistence;
  fanout: Fanout;
  hooks: RelayHooks;
  log: RelayLogger;
  /** Origin id of changes the relay makes itself (e.g. presence removal). */
  relayOrigin: string;
}

export class RelayDocument {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Map<string, RelayConnection>();
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;
  /** Set when a write failed: the in-memory state is ahead of storage and must be dropped. */
  broken = false;

  private constructor(readonly docId: string, private readonly services: DocumentServices, private readonly onBroken: () => void) {
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
      this.onAwarenessUpdate(change, origin));
    this.unsubscribe = services.fanout.subscribe(docId, (message) => this.deliver(message));
  }

  /** Loads the stored state and runs onLoadDocument; its changes are persisted like any other. */
  static async load(docId: string, services: DocumentServices, onBroken: () => void): Promise<RelayDocument> {
    const stored = await services.persistence.load(docId);
    const relayDoc = new RelayDocument(docId, services, onBroken);
    try {
      relayDoc.doc.transact(() => { for (const update of stored) Y.applyUpdate(relayDoc.doc, update, REMOTE); }, REMOTE);
      await services.hooks.onLoadDocument?.({ docId, document: relayDoc.doc });
    } catch (error) {
      relayDoc.broken = true;
      await relayDoc.unload();
      throw error;
    }
    return relayDoc;
  }

  /** Resolves once every change accepted so far is durable. */
  durable(): Promise<void> {
    return this.lastWrite;
  }

  /** Unsubscribes, waits for the last write, runs onStoreDocument and frees the Y.Doc. */
  async unload(): Promise<void> {
    this.unsubscribe();
    await this.lastWrite.catch(() => {});
    try {
      if (!this.broken) await this.services.hooks.onStoreDocument?.({ docId: this.docId, document: this.doc });
    } catch (error) {
      this.services.log({ event: 'error', docId: this.docId, reason: `onStoreDocument failed: ${String(error)}` });
    }
    this.awareness.destroy();
    this.doc.destroy();
  }

  private onDocUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === REMOTE) {
      this.sendLocal(encodeUpdate(update), '');
      return;
    }
    const connection = asConnection(origin);
    const originId = connection?.id ?? this.services.relayOrigin;
    const { persistence, fanout, hooks, log } = this.services;
    const acknowledge = durableAfterCommit(this.doc, () => this.connections.values());
    this.lastWrite = this.lastWrite
      .then(() => persistence.appendUpdate(this.docId, update))
      .then(() => {
        try {
          acknowledge();
          fanout.publish(this.docId, { kind: 'update', payload: update, origin: originId });
          if (connection && hooks.onChange) {
            Promise.resolve(hooks.onChange({ docId: this.docId, connectionId: connection.id, access: connection.access, update }))
              .catch((error) => log({ event: 'error', docId: this.docId, connection: connection.serial, reason: `onChange failed: ${String(error)}` }));
          }
        } catch (error) {
          log({ event: 'error', docId: this.docId, reason: `broadcast failed: ${String(error)}` });
        }
      }, (error) => {
        if (this.broken) return;
        this.broken = true;
        log({ event: 'error', docId: this.docId, reason: `storing an update failed, dropping the document from memory: ${String(error)}` });
        this.onBroken();
      });
  }

  private onAwarenessUpdate(change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    if (origin === REMOTE) return;
    const connection = asConnection(origin);
    if (connection) {
      for (const id of change.added) connection.awarenessIds.add(id);
      for (const id of change.removed) connection.awarenessIds.delete(id);
    }
    const changed = [...change.added, ...change.updated, ...change.removed];
    const payload = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.services.fanout.publish(this.docId, { kind: 'awareness', payload, origin: connection?.id ?? this.services.relayOrigin });
  }

  /** Fan-out listener: sends to local connections; applies what other relay processes accepted. */
  private deliver(message: FanoutMessage): void {
    const local = this.connections.has(message.origin) || message.origin === this.services.relayOrigin;
    if (message.kind === 'update') {
      if (!local) { Y.applyUpdate(this.doc, message.payload, REMOTE); return; }
      this.sendLocal(encodeUpdate(message.payload), message.origin);
    } else {
      if (!local) awarenessProtocol.applyAwarenessUpdate(this.awareness, message.payload, REMOTE);
      // Awareness goes to everyone, the sender included: it is the keep-alive that stops a lone
      // y-websocket client from timing out its connection.
      this.sendLocal(encodeAwareness(message.payload), '');
    }
  }

  private sendLocal(frame: Uint8Array, exceptId: string): void {
    for (const [id, connection] of this.connections) if (id !== exceptId) connection.send(frame);
  }
}
