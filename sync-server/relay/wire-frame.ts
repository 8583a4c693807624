/**
 * A message framed for the wire once and written to every connection that gets it.
 *
 * Why: a document's update goes to every other connection on it, and ws frames each send on
 * its own (a header buffer, options, a cork, two writes, a writev). Under bench:sync (2,500
 * updates a second to 10,000 receipts) that per-send work was a tenth of the sending, beside
 * the kernel's share, which no framing changes. Here the frame is built once per message and
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

/** One binary message as a complete server-to-client WebSocket frame. */
export function binaryFrame(message: Uint8Array): Buffer {
  const length = message.byteLength;
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
  frame.set(message, headerLength);
  return frame;
}

/** A message for several connections: framed on first use, then shared. */
export class SharedFrame {
  private framed: Buffer | null = null;

  constructor(readonly message: Uint8Array) {}

  get wire(): Buffer {
    return (this.framed ??= binaryFrame(this.message));
  }
}
