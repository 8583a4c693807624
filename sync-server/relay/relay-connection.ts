/**
 * RelayConnection: one WebSocket on one document, and the only owner of that connection's
 * state (open or closed, attached to which document). Reads y-websocket frames in arrival
 * order (frames that arrive while the document loads, or while a sync step 2 waits for
 * durability, wait in a backlog), applies the per-connection rate limit, and closes only
 * itself, with a logged reason naming the docId and connection, on anything malformed, on a
 * limit, or on any error in its own handling: nothing a client sends can escape this class.
 */
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { ackWhenDurable } from './durable-ack.ts';
import type { AccessLevel } from './hooks.ts';
import type { RelayLogger } from './logger.ts';
import { PresenceViolation } from './presence-update.ts';
import {
  CloseCode,
  encodeReadOnlyNotice,
  encodeSyncStep1,
  messageAuth,
  messageAwareness,
  messageQueryAwareness,
  messageSync,
} from './protocol.ts';
import type { DocumentMember, RelayDocument } from './relay-document.ts';
import { TokenBucket } from './token-bucket.ts';
import { scanUpdate, type UpdatePlan, type UpdateLimits } from './update-slices.ts';
import { writeAtTickEnd, type TickWriter } from './tick-outbox.ts';
import { messageFrame, type SharedFrame } from './wire-frame.ts';

/** Per-connection limits; the defaults are far above what one person editing produces. */
export interface RateLimit {
  /** Sustained frames per second (a drag at 60 fps with presence is ~120). */
  messagesPerSecond: number;
  messageBurst: number;
  /** Sustained bytes per second, and the burst (room for a first sync of a large document). */
  bytesPerSecond: number;
  byteBurst: number;
  /**
   * Bytes sent to the client and not yet taken by it (the socket's buffer and this tick's held
   * frames); a connection past this has stopped reading and is closed (it reconnects and resyncs).
   */
  unreadBytes: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = {
  messagesPerSecond: 200,
  messageBurst: 1000,
  bytesPerSecond: 8 * 1024 * 1024,
  byteBurst: 64 * 1024 * 1024,
  unreadBytes: 64 * 1024 * 1024,
};

/**
 * Work of one large update done per event-loop turn (update-slices.ts): far below the 100 ms
 * any other client may wait, and long enough that the per-turn overhead stays small.
 */
const TURN_BUDGET_MS = 10;

/**
 * How long a durable acknowledgement may wait for a frame to share a write with (sendAck).
 * Acknowledgements come at most every DURABLE_ACK_INTERVAL_MS (500 ms), so a "Saved on server"
 * badge is late by a fifth of that at most.
 */
export const ACK_HOLD_MS = 100;

class ProtocolError extends Error {}
/** Input past a limit (closes with 1008). */
class LimitError extends Error {}

interface Frame {
  data: Uint8Array;
  isBinary: boolean;
}

export class RelayConnection implements DocumentMember, TickWriter {
  readonly openedAt = Date.now();
  private readonly messages: TokenBucket;
  private readonly bytes: TokenBucket;
  /** Frames waiting for the document to load or for a sync step 2 to become durable. */
  private readonly backlog: Frame[] = [];
  private waiting = true;
  private document: RelayDocument | null = null;
  private isClosed = false;
  /** Frames of this tick, written together when it ends (tick-outbox.ts); in order. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private readonly unreadBytes: number;
  /** A durable acknowledgement waiting to go out with this connection's next frame (see `sendAck`). */
  private heldAck: Uint8Array | null = null;
  private heldAckTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly id: string,
    readonly serial: number,
    readonly docId: string,
    readonly access: AccessLevel,
    private readonly ws: WebSocket,
    /** The socket under `ws`: shared frames are written to it directly (wire-frame.ts). */
    private readonly socket: Socket,
    limit: RateLimit,
    private readonly log: RelayLogger,
    private readonly updateLimits: UpdateLimits,
    /** Who this connection is, for reserving its presence client ids (presence-identity.ts). */
    readonly presenceIdentity: string | null,
  ) {
    this.messages = new TokenBucket(limit.messageBurst, limit.messagesPerSecond, this.openedAt);
    this.bytes = new TokenBucket(limit.byteBurst, limit.bytesPerSecond, this.openedAt);
    this.unreadBytes = limit.unreadBytes;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Joins the loaded document and sends the opening frames; then handles the frames that waited. */
  attach(document: RelayDocument): void {
    if (this.isClosed) return;
    this.guard(() => {
      this.document = document;
      document.join(this);
      if (this.access === 'read-only') this.send(encodeReadOnlyNotice());
      this.send(encodeSyncStep1(document.doc));
      const presence = document.presenceFrame();
      if (presence) this.send(presence);
      ackWhenDurable(document.doc, () => document.durable(), this);
      this.resume();
    });
  }

  /** Called for every frame; text frames are a protocol error. */
  receive(data: Uint8Array, isBinary: boolean): void {
    if (this.isClosed) return;
    const now = Date.now();
    if (!this.messages.take(1, now) || !this.bytes.take(data.byteLength, now)) {
      this.close(CloseCode.rateLimited, 'rate limit exceeded', true);
      return;
    }
    if (this.waiting) {
      this.backlog.push({ data, isBinary });
      return;
    }
    this.guard(() => this.handle(data, isBinary));
  }

  send(frame: Uint8Array): void {
    if (!this.writable()) return;
    this.releaseAck();
    this.hold(messageFrame(frame));
  }

  /** Sends a message framed once for every connection that gets it (a document's broadcast). */
  sendShared(frame: SharedFrame): void {
    if (!this.writable()) return;
    this.releaseAck();
    this.hold(frame.wire);
  }

  /** Writes this tick's frames in one go (tick-outbox.ts), unless the connection has closed. */
  writeHeld(): void {
    const frames = this.held;
    if (frames.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return;
    this.socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  }

  private hold(frame: Buffer): void {
    if (this.held.length === 0) writeAtTickEnd(this);
    this.held.push(frame);
    this.heldBytes += frame.byteLength;
  }

  /**
   * Sends a durable acknowledgement (durable-ack.ts) with this connection's next frame, or
   * within ACK_HOLD_MS when none comes. A writer on a busy document gets acknowledgements a
   * few times a second and other people's updates many times a second: written on their own,
   * the acknowledgements were a tenth of the relay's socket writes under bench:sync; held for
   * the next broadcast they share its system call (tick-outbox.ts). A newer
   * acknowledgement replaces a held one: it says everything the older one did.
   */
  sendAck(frame: Uint8Array): void {
    if (this.isClosed) return;
    this.heldAck = frame;
    // A frame goes out at the end of this tick: join it; a held older one is not sent.
    if (this.held.length > 0) this.releaseAck();
    else this.heldAckTimer ??= setTimeout(this.flushHeldAck, ACK_HOLD_MS);
  }

  private readonly flushHeldAck = (): void => {
    this.heldAckTimer = null;
    const frame = this.heldAck;
    this.heldAck = null;
    if (frame) this.send(frame);
  };

  /** Puts a held acknowledgement with this tick's frames, in front of the one being sent. */
  private releaseAck(): void {
    if (this.heldAck === null) return;
    const frame = this.heldAck;
    this.dropHeldAck();
    this.hold(messageFrame(frame));
  }

  private dropHeldAck(): void {
    this.heldAck = null;
    if (this.heldAckTimer !== null) clearTimeout(this.heldAckTimer);
    this.heldAckTimer = null;
  }

  /** Whether a frame may be written now; closes a connection that stopped reading. */
  private writable(): boolean {
    if (this.isClosed || this.ws.readyState !== this.ws.OPEN) return false;
    // Held frames count too: one tick's broadcasts to a reader that has stopped would otherwise
    // all be taken before the socket's buffer shows them.
    if (this.ws.bufferedAmount + this.heldBytes > this.unreadBytes) {
      this.close(CloseCode.tryAgainLater, 'client is not reading its messages', true);
      return false;
    }
    return true;
  }

  /** Closes this connection only; `logged` records the reason as an error line. */
  close(code: number, reason: string, logged: boolean): void {
    if (this.isClosed) return;
    this.writeHeld(); // this tick's frames go before the close frame, as they were sent
    this.isClosed = true;
    this.backlog.length = 0;
    this.dropHeldAck();
    if (logged) this.log({ event: 'error', docId: this.docId, connection: this.serial, code, reason });
    this.document?.leave(this);
    this.ws.close(code, reason.slice(0, 120));
  }

  /** The socket is gone (whoever closed it): leave the document, drop what waited. */
  socketClosed(): void {
    this.isClosed = true;
    this.held = [];
    this.heldBytes = 0;
    this.backlog.length = 0;
    this.dropHeldAck();
    this.document?.leave(this);
  }

  /** Runs one step of this connection's handling; any error closes this connection only. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    if (error instanceof PresenceViolation || error instanceof LimitError)
      this.close(CloseCode.policyViolation, error.message, true);
    else if (error instanceof ProtocolError) this.close(CloseCode.malformed, error.message, true);
    else
      this.close(
        CloseCode.malformed,
        `malformed message: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
  }

  /** Handles waiting frames in order until one has to wait again. */
  private resume(): void {
    this.waiting = false;
    while (!this.waiting && !this.isClosed && this.backlog.length > 0) {
      const frame = this.backlog.shift()!;
      this.handle(frame.data, frame.isBinary);
    }
  }

  /**
   * Applies one update within the struct limits: whole when small; otherwise its struct layout
   * is scanned and it is applied in slices (update-slices.ts), both in parts of at most
   * TURN_BUDGET_MS per event-loop turn, while this connection's later frames wait. Over the
   * struct limit it is refused before anything is applied.
   */
  private applyUpdate(document: RelayDocument, update: Uint8Array): void {
    const scan = scanUpdate(update, this.updateLimits);
    const first = scan.next();
    if (first.done && first.value.kind === 'whole') {
      document.applyUpdate(this, update, first.value.layout);
      return;
    }
    this.waiting = true;
    let plan: UpdatePlan | null = first.done ? first.value : null;
    let pendingBefore = 0;
    let next = 0;
    this.inTurns(() => {
      if (!plan) {
        const step = scan.next();
        if (!step.done) return false;
        plan = step.value;
      }
      if (plan.kind === 'too-many')
        throw new LimitError(`update carries ${plan.structs} structs (limit ${this.updateLimits.maxStructs})`);
      if (plan.kind === 'whole') {
        document.applyUpdate(this, update, plan.layout);
      } else {
        if (next === 0) pendingBefore = document.pendingBytes();
        const last = next === plan.slices.length - 1;
        document.applyUpdate(this, plan.slices[next++]!, null, pendingBefore, !last);
        if (!last) return false;
      }
      this.resume();
      return true;
    });
  }

  /**
   * Runs `step` until it answers true (done), for at most TURN_BUDGET_MS per event-loop turn,
   * starting on the next turn; stops when this connection closes. Errors close this connection.
   */
  private inTurns(step: () => boolean): void {
    const turn = () => {
      if (this.isClosed) return;
      this.guard(() => {
        const start = performance.now();
        while (!this.isClosed) {
          if (step()) return;
          if (performance.now() - start >= TURN_BUDGET_MS) break;
        }
        if (!this.isClosed) setImmediate(turn);
      });
    };
    setImmediate(turn);
  }

  private handle(data: Uint8Array, isBinary: boolean): void {
    const document = this.document;
    if (this.isClosed || !document) return;
    if (!isBinary) throw new ProtocolError('text frame; the protocol is binary');
    const decoder = decoding.createDecoder(data);
    const kind = decoding.readVarUint(decoder);
    switch (kind) {
      case messageSync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === syncProtocol.messageYjsSyncStep1) {
          // Answer only with state that is already durable; later frames wait for the answer.
          this.waiting = true;
          document.syncStep2(payload).then(
            (frame) => {
              if (this.isClosed) return;
              this.send(frame);
              this.guard(() => this.resume());
            },
            (error: unknown) => this.fail(error),
          );
        } else if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
          if (this.access === 'read-write') this.applyUpdate(document, payload);
        } else {
          throw new ProtocolError(`unknown sync step ${step}`);
        }
        return;
      }
      case messageAwareness:
        document.applyPresence(this, decoding.readVarUint8Array(decoder));
        return;
      case messageQueryAwareness: {
        const presence = document.presenceFrame();
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
