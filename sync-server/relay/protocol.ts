/**
 * The y-websocket wire protocol as the relay speaks it: message kinds (first varUint of every
 * binary frame) and the few frames the relay writes. Sync and awareness payloads use
 * y-protocols' encodings unchanged, so the stock y-websocket client needs nothing extra.
 *
 * Read-only signal: right after a read-only connection opens, the relay sends an auth frame
 * `[messageAuth, messagePermissionDenied, "read-only"]` (y-protocols/auth). A stock client
 * logs it as a warning and keeps working; an app client reads the reason `READ_ONLY_REASON`
 * to show that its edits are not shared. The connection stays open and receives everything.
 */
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

/** The reason string of the permission-denied frame sent to read-only connections. */
export const READ_ONLY_REASON = 'read-only';

/** WebSocket close codes the relay uses (4400-4499 would stop the y-websocket client for good). */
export const CloseCode = {
  /** Relay shutting down; clients reconnect. */
  goingAway: 1001,
  /** Malformed or truncated protocol message. */
  malformed: 1007,
  /** Rate limit exceeded; the client reconnects with back-off and resyncs. */
  rateLimited: 1008,
  /** Policy violation: presence past its limits, updates the document waits on forever. */
  policyViolation: 1008,
  /** Frame larger than the message limit (sent by `ws` itself). */
  tooBig: 1009,
  /** Storage failure; the client reconnects and resyncs. */
  internalError: 1011,
  /** The client does not read fast enough. */
  tryAgainLater: 1013,
} as const;

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  syncProtocol.writeSyncStep2(encoder, doc, stateVector);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export function encodeReadOnlyNotice(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAuth);
  authProtocol.writePermissionDenied(encoder, READ_ONLY_REASON);
  return encoding.toUint8Array(encoder);
}
