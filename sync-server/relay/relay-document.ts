/**
 * RelayDocument: one loaded document on the relay, its Y.Doc, its presence and the connections
 * attached to it. It is the only owner of that set: connections join and leave through it.
 *
 * An accepted change goes: applied to the Y.Doc (which validates it and yields the effective
 * update) -> appended to persistence (durable) -> published on the fan-out -> sent to the
 * other connections. Appends are handed to persistence at once; broadcasts are chained per
 * document (each waits for its own commit and every earlier one), so they keep their order.
 * Messages that reach the fan-out from another relay process are applied with REMOTE as
 * origin and only forwarded, never persisted twice.
 *
 * Failures stay inside: an error in the document's own handling (fan-out delivery, a presence
 * batch) is logged with the docId and drops this document only (`onFailure`); an error from
 * one connection's input propagates to that connection, which closes itself.
 */
import * as Y from 'yjs';
import { DocumentPresence, type PresencePeer } from './document-presence.ts';
import { DurableAcks } from './durable-ack.ts';
import type { Fanout, FanoutMessage } from './fanout.ts';
import type { AccessLevel, RelayHooks } from './hooks.ts';
import type { RelayLogger } from './logger.ts';
import { PendingGuard, type PendingLimits } from './pending-guard.ts';
import type { DocPersistence } from './persistence.ts';
import type { PresenceLimits } from './presence-update.ts';
import { CloseCode, encodeAwareness, encodeSyncStep2 } from './protocol.ts';
import { appliedAsSent, encodeTransactionUpdate, transactionChanged, type StructLayout } from './transaction-update.ts';
import { AWARENESS, SharedFrame, SYNC_UPDATE } from './wire-frame.ts';

const REMOTE = Symbol('remote relay');
/** Like REMOTE, but the local connections get the updates as they came (queueRemote), not re-encoded. */
const FORWARDED = Symbol('remote relay, forwarded as received');

/** What the document needs from a connection attached to it (RelayConnection implements it). */
export interface DocumentMember extends PresencePeer {
  readonly id: string;
  readonly serial: number;
  readonly access: AccessLevel;
  send(frame: Uint8Array): void;
  /** Sends a durable acknowledgement with the member's next frame, or soon. */
  sendAck(frame: Uint8Array): void;
  /** Sends a message framed once for all its receivers. */
  sendShared(frame: SharedFrame): void;
  close(code: number, reason: string, logged: boolean): void;
}

export interface DocumentServices {
  persistence: DocPersistence;
  fanout: Fanout;
  hooks: RelayHooks;
  log: RelayLogger;
  /** Origin id of changes the relay makes itself (e.g. presence batches). */
  relayOrigin: string;
  presenceLimits: PresenceLimits;
  pendingLimits: PendingLimits;
}

export class RelayDocument {
  readonly doc: Y.Doc;
  private readonly presence: DocumentPresence;
  private readonly pending: PendingGuard<DocumentMember>;
  private readonly members = new Map<string, DocumentMember>();
  /** The client update being applied right now (its member is the transaction origin). */
  private applying: {
    member: DocumentMember;
    /** The update as the client sent it. */
    update: Uint8Array;
    /** Where its structs sit, when known: only then may it go on as sent (appliedAsSent). */
    layout: StructLayout | null;
    pendingBefore: boolean;
  } | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly acks: DurableAcks<DocumentMember>;
  private readonly unsubscribe: () => void;
  /** A repair from the store waiting for the running one (at most one waits: see repairFromStore). */
  private repairQueued: Promise<boolean> | null = null;
  /** Changes applied from outside this process (fan-out, store); tells a repair whether it found any. */
  private remoteChanges = 0;
  private repairRunning: Promise<unknown> = Promise.resolve();
  /** Updates from other relay processes waiting to be applied together (see queueRemote). */
  private remoteQueue: Uint8Array[] = [];
  private unloaded = false;
  /** Set when a write failed: the in-memory state is ahead of storage and must be dropped. */
  broken = false;

  private constructor(
    readonly docId: string,
    private readonly services: DocumentServices,
    private readonly onFailure: () => void,
  ) {
    // The document id as guid: the default, a random uuid, draws 31 random numbers from the
    // OS (0.3-0.5 ms per Y.Doc, the largest part of loading a small document; 250 sockets
    // opening 250 documents at once held the event loop for that much each).
    this.doc = new Y.Doc({ gc: true, guid: docId });
    this.acks = new DurableAcks<DocumentMember>(this.doc, () => this.members.values());
    const { log } = services;
    this.presence = new DocumentPresence(
      this.doc,
      services.presenceLimits,
      (payload) => services.fanout.publish(docId, { kind: 'awareness', payload, origin: services.relayOrigin }),
      (peer, reason) => log({ event: 'error', docId, connection: peer.serial, reason }),
      (error) => this.fail(`publishing presence failed: ${String(error)}`),
    );
    this.pending = new PendingGuard(this.doc, services.pendingLimits, (peers, reason) => {
      for (const peer of peers) peer.close(CloseCode.policyViolation, reason, true);
    });
    // Not 'update': Yjs encodes every transaction's update for 'update' listeners, and an
    // ordinary edit is stored and sent as the client sent it (transaction-update.ts).
    this.doc.on('afterTransactionCleanup', (tr: Y.Transaction) => this.afterTransaction(tr));
    this.unsubscribe = services.fanout.subscribe(docId, (message) => {
      try {
        this.deliver(message);
      } catch (error) {
        this.fail(`delivering a ${message.kind} message failed: ${String(error)}`);
      }
    });
  }

  /** Loads the stored state and runs onLoadDocument; its changes are persisted like any other. */
  static async load(docId: string, services: DocumentServices, onFailure: () => void): Promise<RelayDocument> {
    // Subscribed (in the constructor) before reading the store: an update another relay
    // process accepts during the read arrives through the fan-out instead of being missed.
    const relayDoc = new RelayDocument(docId, services, onFailure);
    try {
      const stored = await services.persistence.load(docId);
      relayDoc.doc.transact(() => {
        for (const update of stored) Y.applyUpdate(relayDoc.doc, update, REMOTE);
      }, REMOTE);
      await services.hooks.onLoadDocument?.({ docId, document: relayDoc.doc });
    } catch (error) {
      relayDoc.broken = true;
      await relayDoc.unload();
      throw error;
    }
    return relayDoc;
  }

  /** Attaches a connection: from now on it receives the document's updates and presence. */
  join(member: DocumentMember): void {
    this.members.set(member.id, member);
  }

  /** Detaches a connection and removes its presence at once. */
  leave(member: DocumentMember): void {
    if (this.members.get(member.id) !== member) return;
    this.members.delete(member.id);
    this.presence.release(member);
  }

  memberCount(): number {
    return this.members.size;
  }

  /** Closes every attached connection (the document is being dropped). */
  closeAll(code: number, reason: string): void {
    for (const member of [...this.members.values()]) member.close(code, reason, false);
  }

  /**
   * Applies a client's update; throws when it is malformed (the caller closes that connection).
   * `layout`: where its structs sit, when known (it may then be stored and sent as it is).
   * `pendingBefore`/`partial`: for one slice of a larger update, the pending bytes from before
   * its first slice, and whether more slices follow (see PendingGuard.checkAfter).
   */
  applyUpdate(
    member: DocumentMember,
    update: Uint8Array,
    layout: StructLayout | null = null,
    pendingBefore = this.pending.pendingBytes(),
    partial = false,
  ): void {
    const store = this.doc.store;
    this.applying = {
      member,
      update,
      layout,
      pendingBefore: store.pendingStructs !== null || store.pendingDs !== null,
    };
    try {
      Y.applyUpdate(this.doc, update, member);
    } finally {
      this.applying = null;
      // Also after a malformed update that failed half way: whatever it left pending is bounded.
      this.pending.checkAfter(member, pendingBefore, partial);
    }
  }

  pendingBytes(): number {
    return this.pending.pendingBytes();
  }

  /** Applies a client's presence update within the presence limits (throws past them). */
  applyPresence(member: DocumentMember, payload: Uint8Array): void {
    this.presence.apply(member, payload);
  }

  /** The current presence states as one awareness frame (null when nobody is present). */
  presenceFrame(): Uint8Array | null {
    const states = this.presence.snapshot();
    return states ? encodeAwareness(states) : null;
  }

  /** Sync step 2 for a client's state vector, once every change accepted so far is durable. */
  async syncStep2(stateVector: Uint8Array): Promise<Uint8Array> {
    await this.lastWrite;
    return encodeSyncStep2(this.doc, stateVector);
  }

  /** Resolves once every change accepted so far is durable. */
  durable(): Promise<void> {
    return this.lastWrite;
  }

  /**
   * Applies what the store holds and this copy lacks: updates another relay process accepted
   * (and stored) whose fan-out message this process missed (a trimmed or lost Redis stream).
   * What is new goes to the local connections like any update from another process; what is
   * known already changes nothing. Resolves with whether anything was new. Calls while one runs
   * share one more run after it (a repair asked for during a load may need what that load missed).
   */
  repairFromStore(): Promise<boolean> {
    if (this.repairQueued) return this.repairQueued;
    const queued = this.repairRunning.then(async () => {
      this.repairQueued = null;
      if (this.unloaded) return false;
      const stored = await this.services.persistence.load(this.docId);
      if (this.unloaded) return false;
      const before = this.remoteChanges;
      this.doc.transact(() => {
        for (const update of stored) Y.applyUpdate(this.doc, update, REMOTE);
      }, REMOTE);
      return this.remoteChanges !== before;
    });
    this.repairQueued = queued;
    this.repairRunning = queued.catch(() => {});
    return queued;
  }

  /** Unsubscribes, waits for the last write, runs onStoreDocument and frees the Y.Doc. */
  async unload(): Promise<void> {
    this.unloaded = true;
    this.unsubscribe();
    this.pending.dispose();
    await this.lastWrite.catch(() => {});
    this.acks.dispose();
    try {
      if (!this.broken) await this.services.hooks.onStoreDocument?.({ docId: this.docId, document: this.doc });
    } catch (error) {
      this.services.log({ event: 'error', docId: this.docId, reason: `onStoreDocument failed: ${String(error)}` });
    }
    this.presence.destroy();
    this.doc.destroy();
  }

  /** Logs and drops this document only (its connections are closed, clients reconnect). */
  private fail(reason: string): void {
    if (this.broken) return;
    this.broken = true;
    this.services.log({ event: 'error', docId: this.docId, reason: `${reason}; dropping the document from memory` });
    this.onFailure();
  }

  /** Every transaction's end: what changed is stored and sent (or, from another process, only sent). */
  private afterTransaction(tr: Y.Transaction): void {
    if (!transactionChanged(tr)) return;
    const origin: unknown = tr.origin;
    if (origin === FORWARDED) {
      // The local connections get these updates as they came (queueRemote): nothing to encode.
      this.remoteChanges++;
      return;
    }
    const applying = this.applying !== null && origin === this.applying.member ? this.applying : null;
    const update =
      applying?.layout && appliedAsSent(tr, applying.layout, applying.pendingBefore)
        ? applying.update.slice() // its own bytes: the client's frame may be a view into a larger read
        : encodeTransactionUpdate(tr);
    if (origin === REMOTE) {
      this.remoteChanges++;
      this.sendLocal(SYNC_UPDATE, update, '');
      return;
    }
    this.accepted(update, applying?.member ?? null);
  }

  /** An accepted change (a client's, or the relay's own when `member` is null): stored, then sent. */
  private accepted(update: Uint8Array, member: DocumentMember | null): void {
    const originId = member?.id ?? this.services.relayOrigin;
    const { persistence, fanout, hooks, log } = this.services;
    const acknowledge = this.acks.afterCommit(member);
    // Handed to storage at once, so updates of one document that arrive during a commit share
    // the next one (waiting for the previous commit first cost one commit round trip per update
    // of a busy document). The broadcast waits for this commit and every earlier one: broadcasts
    // keep their order, and nothing is sent before what it may build on is durable.
    this.lastWrite = Promise.all([this.lastWrite, handIn(() => persistence.appendUpdate(this.docId, update))]).then(
      () => {
        try {
          acknowledge();
          fanout.publish(this.docId, { kind: 'update', payload: update, origin: originId });
          if (member && hooks.onChange) {
            Promise.resolve(
              hooks.onChange({ docId: this.docId, connectionId: member.id, access: member.access, update }),
            ).catch((error) =>
              log({
                event: 'error',
                docId: this.docId,
                connection: member.serial,
                reason: `onChange failed: ${String(error)}`,
              }),
            );
          }
        } catch (error) {
          log({ event: 'error', docId: this.docId, reason: `broadcast failed: ${String(error)}` });
        }
      },
      (error) => this.fail(`storing an update failed: ${String(error)}`),
    );
  }

  /** Fan-out listener: sends to local connections; applies what other relay processes accepted. */
  private deliver(message: FanoutMessage): void {
    const local = this.members.has(message.origin) || message.origin === this.services.relayOrigin;
    if (message.kind === 'update') {
      if (!local) {
        this.queueRemote(message.payload);
        return;
      }
      this.sendLocal(SYNC_UPDATE, message.payload, message.origin);
    } else {
      if (!local) this.presence.applyRemote(message.payload);
      // Awareness goes to everyone, the sender included: it is the keep-alive that stops a lone
      // y-websocket client from timing out its connection.
      this.sendLocal(AWARENESS, message.payload, '');
    }
  }

  /**
   * Applies the other processes' updates that arrive together (one fan-out read) in one
   * transaction, at the end of the current task: one state-vector comparison and one encoded
   * update instead of one of each per update. A process that fell behind gets many updates of
   * a document at once, so catching up costs it less per update, not more (issue 16: the
   * per-update cost is what made a late process fall further behind). The local connections
   * get each update as it was accepted (a frame each, as from the process that accepted it),
   * not the transaction's merged update: merged, values overwritten within the batch would be
   * garbage-collected out of what they see.
   */
  private queueRemote(update: Uint8Array): void {
    this.remoteQueue.push(update);
    if (this.remoteQueue.length > 1) return;
    queueMicrotask(() => {
      const updates = this.remoteQueue;
      this.remoteQueue = [];
      if (this.unloaded) return;
      try {
        this.doc.transact(() => {
          for (const queued of updates) Y.applyUpdate(this.doc, queued, FORWARDED);
        }, FORWARDED);
        for (const queued of updates) this.sendLocal(SYNC_UPDATE, queued, '');
      } catch (error) {
        this.fail(`applying ${updates.length} update(s) from another process failed: ${String(error)}`);
      }
    });
  }

  /** Sends the message `[...kinds, payload]` to every attached connection but `exceptId`. */
  private sendLocal(kinds: readonly number[], payload: Uint8Array, exceptId: string): void {
    const frame = new SharedFrame(kinds, payload);
    for (const member of this.members.values()) if (member.id !== exceptId) member.sendShared(frame);
  }
}

/** Runs `store`; a synchronous throw becomes a rejection like any other storage failure. */
function handIn(store: () => Promise<void>): Promise<void> {
  try {
    return store();
  } catch (error) {
    return Promise.reject(error);
  }
}
