/**
 * A message framed for the wire once and written to every connection that gets it.
 *
 * Why: a document's update goes to every other connection on it, and ws frames each send on
 * its own (a header buffer, options, a cork, two writes, a writev). Under bench:sync (2,500
 * updates a second to 10,000 receipts) that per-send work was a tenth of the sending, beside
 * the kernel's share, which no framing changes. Here the frame is built once per message, in
 * one buffer with the message's kind bytes and length (no lib0 encoder and copy first), and
 * the same bytes go to each socket with one plain write.
 *
 * Writing beside ws is sound only because ws writes every frame to the socket synchronously
 * when no extension is negotiated (its sender queues only while compressing, or reading a
 * Blob, neither of which the relay does): the relay's WebSocketServer turns permessage-deflate
 * off (relay.ts), and RelayConnection writes prepared frames only while ws says the socket is
 * OPEN, so nothing can follow ws's close frame. RFC 6455 section 5.2: a server's frames are
 * not masked; FIN with the binary opcode is 0x82; the length is 7 bits, or 126 and 16 bits,
 * or 127 and 64 bits.
 */
import { messageYjsUpdate } from 'y-protocols/sync';
import { messageAwareness, messageSync } from './protocol.ts';

/** The kind bytes of a sync update message (y-protocols: messageSync, then messageYjsUpdate). */
export const SYNC_UPDATE: readonly number[] = [messageSync, messageYjsUpdate];
/** The kind byte of an awareness message. */
export const AWARENESS: readonly number[] = [messageAwareness];

/** Bytes of lib0's varUint for `n`: 7 bits a byte. */
function varUintLength(n: number): number {
  let bytes = 1;
  for (let v = n; v > 127; v = Math.floor(v / 128)) bytes++;
  return bytes;
}

/** A frame buffer for a message of `length` bytes, its header written; returns it and where the message goes. */
function frameFor(length: number): { frame: Buffer; at: number } {
  const headerLength = length < 126 ? 2 : length < 65536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  return { frame, at: headerLength };
}

/** An already-encoded message (a sync step, an acknowledgement) as a complete frame. */
export function messageFrame(message: Uint8Array): Buffer {
  const { frame, at } = frameFor(message.byteLength);
  frame.set(message, at);
  return frame;
}

/**
 * The message `[...kinds, varUint8Array(payload)]` (what encodeUpdate and encodeAwareness
 * build) as a complete frame, written in one go.
 */
export function payloadFrame(kinds: readonly number[], payload: Uint8Array): Buffer {
  const n = payload.byteLength;
  const { frame, at: start } = frameFor(kinds.length + varUintLength(n) + n);
  let at = start;
  for (const kind of kinds) frame[at++] = kind;
  let v = n;
  while (v > 127) {
    frame[at++] = 0x80 | (v & 0x7f);
    v = Math.floor(v / 128);
  }
  frame[at++] = v;
  frame.set(payload, at);
  return frame;
}

/** A message for several connections: framed on first use, then shared. */
export class SharedFrame {
  private framed: Buffer | null = null;

  constructor(
    private readonly kinds: readonly number[],
    private readonly payload: Uint8Array,
  ) {}

  get wire(): Buffer {
    return (this.framed ??= payloadFrame(this.kinds, this.payload));
  }
}
