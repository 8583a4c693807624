/**
 * payloadFrame (sync-server/relay/wire-frame.ts): a sync update or awareness message framed in
 * one go is, byte for byte, what ws sends for the message y-protocols encodes, at every length
 * boundary of the WebSocket header (7, 16 and 64 bits) and of the varUint length (1 to 3 bytes).
 * messageFrame: an encoded message (every frame the relay sends to one connection) is framed
 * as ws frames it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { createRequire } from 'node:module';
import { messageAwareness, messageSync } from '../../../sync-server/relay/protocol.ts';
import { AWARENESS, messageFrame, payloadFrame, SYNC_UPDATE } from '../../../sync-server/relay/wire-frame.ts';

/** ws's own framing (the oracle here); its typings do not declare the Sender. */
const Sender = (createRequire(import.meta.url)('ws') as { Sender: unknown }).Sender as {
  frame(
    data: Buffer,
    options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean },
  ): Buffer[];
};

/** What ws writes for one unmasked binary message. */
const wsFrame = (message: Uint8Array): Buffer =>
  Buffer.concat(
    Sender.frame(Buffer.from(message), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }),
  );

const LENGTHS = [
  0, 1, 120, 121, 122, 123, 124, 125, 126, 127, 128, 200, 16383, 16384, 65530, 65535, 65536, 70_000, 2_097_152,
];

/** The message as y-protocols builds it: the kind bytes, then the payload with its varUint length. */
const encoded = (kinds: readonly number[], payload: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  for (const kind of kinds) encoding.writeVarUint(encoder, kind);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
};

test('sync update and awareness frames are what ws sends for the messages y-protocols encodes', () => {
  // y-protocols' own writer for a sync update, so the oracle does not lean on `encoded` alone.
  const syncUpdate = (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, messageSync);
    syncProtocol.writeUpdate(encoder, update);
    return encoding.toUint8Array(encoder);
  };
  for (const n of LENGTHS) {
    const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 255);
    assert.equal(payloadFrame(SYNC_UPDATE, payload), wsFrame(syncUpdate(payload)), `sync update, ${n} bytes`);
    assert.equal(
      payloadFrame(AWARENESS, payload),
      wsFrame(encoded([messageAwareness], payload)),
      `awareness, ${n} bytes`,
    );
  }
});

test('an encoded message is framed as ws frames it, at every header length', () => {
  for (const n of LENGTHS) {
    const message = Uint8Array.from({ length: n }, (_, i) => (i * 13) & 255);
    assert.equal(messageFrame(message), wsFrame(message), `${n} bytes`);
  }
});

test.run();
