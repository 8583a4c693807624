/**
 * RelayConnection: one WebSocket on one document. Reads y-websocket frames in arrival order
 * (a per-connection promise chain, so frames that arrive while the document loads wait for
 * it), applies the per-connection rate limit, and closes only itself, with a logged reason,
 * on anything malformed.
 */
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { ackWhenDurable } from './durable-ack.ts';
import type { AccessLevel } from './hooks.ts';
import type { RelayLogger } from './logger.ts';
import {
  CloseCode, encodeAwarenessStates, encodeReadOnlyNotice, encodeSyncStep1, encodeSyncStep2,
  messageAuth, messageAwareness, messageQueryAwareness, messageSync,
} from './protocol.ts';
import type { RelayDocument } from './relay-document.ts';
import { TokenBucket } from './token-bucket.ts';

/** Per-connection limits; the defaults are far above what one person editing produces. */
export interface RateLimit {
  /** Sustained frames per second (a drag at 60 fps with presence is ~120). */
  messagesPerSecond: number;
  messageBurst: number;
  /** Sustained bytes per second, and the burst (room for a first sync of a large document). */
  bytesPerSecond: number;
  byteBurst: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = {
  messagesPerSecond: 200, messageBurst: 1000, bytesPerSecond: 8 * 1024 * 1024, byteBurst: 64 * 1024 * 1024,
};

/** A client that lets this much pile up unread is closed (it reconnects and resyncs). */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

class ProtocolError extends Error {}

export class RelayConnection {
  readonly awarenessIds = new Set<number>();
  readonly openedAt = Date.now();
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  private queue: Promise<void>;
  private document: RelayDocument | null = null;
  closed = false;

  constructor(
    readonly id: string,
    readonly serial: number,
    readonly docId: string,
    readonly access: AccessLevel,
    private readonly ws: WebSocket,
    documentReady: Promise<RelayDocument>,
    limit: RateLimit,
    private readonly log: RelayLogger,
  ) {
    this.messages = new TokenBucket(limit.messageBurst, limit.messagesPerSecond, this.openedAt);
    this.bytes = new TokenBucket(limit.byteBurst, limit.bytesPerSecond, this.openedAt);
    // A failed load is reported and closes this connection in relay.ts; frames then are ignored.
    this.queue = documentReady.then((document) => this.attach(document), () => {});
  }

  /** Called for every binary frame; text frames are a protocol error. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.closed) return;
    const now = Date.now();
    if (!this.messages.take(1, now) || !this.bytes.take(data.byteLength, now)) {
      this.close(CloseCode.rateLimited, 'rate limit exceeded', true);
      return;
    }
    this.queue = this.queue.then(() => {
      if (this.closed || !this.document) return;
      if (!isBinary) throw new ProtocolError('text frame; the protocol is binary');
      return this.handle(this.document, data);
    }).catch((error: unknown) => {
      const reason = error instanceof ProtocolError ? error.message : `malformed message: ${error instanceof Error ? error.message : String(error)}`;
      this.close(CloseCode.malformed, reason, true);
    });
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.close(CloseCode.tryAgainLater, 'client is not reading its messages', true);
      return;
    }
    this.ws.send(frame);
  }

  /** Closes this connection only; `logged` records the reason as an error line. */
  close(code: number, reason: string, logged: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (logged) this.log({ event: 'error', docId: this.docId, connection: this.serial, code, reason });
    this.ws.close(code, reason.slice(0, 120));
  }

  /** The document, once loaded (null before and after). */
  get relayDocument(): RelayDocument | null {
    return this.document;
  }

  private attach(document: RelayDocument): void {
    if (this.closed) return;
    this.document = document;
    document.connections.set(this.id, this);
    if (this.access === 'read-only') this.send(encodeReadOnlyNotice());
    this.send(encodeSyncStep1(document.doc));
    const presence = encodeAwarenessStates(document.awareness);
    if (presence) this.send(presence);
    ackWhenDurable(document.doc, () => document.durable(), this);
  }

  private async handle(document: RelayDocument, data: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(data);
    const kind = decoding.readVarUint(decoder);
    switch (kind) {
      case messageSync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          // Answer only with state that is already durable.
          await document.durable();
          if (!this.closed) this.send(encodeSyncStep2(document.doc, payload));
        } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
          if (this.access === 'read-write') Y.applyUpdate(document.doc, payload, this);
        } else {
          throw new ProtocolError(`unknown sync step ${step}`);
        }
        return;
      }
      case messageAwareness:
        awarenessProtocol.applyAwarenessUpdate(document.awareness, decoding.readVarUint8Array(decoder), this);
        return;
      case messageQueryAwareness: {
        const presence = encodeAwarenessStates(document.awareness);
        if (presence) this.send(presence);
        return;
      }
      case messageAuth:
        return; // clients have nothing to say on this channel yet
      default:
        throw new ProtocolError(`unknown message type ${kind}`);
    }
  }
}
