/**
 * The update one Yjs transaction made, for the relay to store and broadcast.
 *
 * Yjs encodes every transaction's update for its 'update' listeners (writeUpdateMessageFromTransaction:
 * the new structs of each client, then the transaction's delete set). The relay no longer
 * listens to 'update': for an ordinary edit it already holds the bytes it needs, the update the
 * client sent, which it may store and broadcast as it is when applying it integrated exactly
 * those structs (see `appliedAsSent`). Re-encoding them cost about a twentieth of the relay's
 * main thread under bench:sync. Every other transaction (an update that left structs pending,
 * one that carried structs the document had, the relay's own and other processes' changes) is
 * encoded here as Yjs would, from the transaction after its clean-up, byte for byte the same
 * (tests/integration/sync/transaction-update.test.ts compares the two on random edits).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/** Whether the transaction changed anything (Yjs emits no update otherwise). */
export function transactionChanged(tr: Y.Transaction): boolean {
  if (tr.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of tr.afterState) if ((tr.beforeState.get(client) ?? 0) !== clock) return true;
  return false;
}

/**
 * The transaction's update in the V1 encoding, as Yjs's 'update' event gives it. Call it from
 * 'afterTransactionCleanup' (structs garbage-collected and merged, delete set sorted), as Yjs does.
 */
export function encodeTransactionUpdate(tr: Y.Transaction): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const store = tr.doc.store;
  // Clients with new structs, each from where it stood before (0: new in this transaction);
  // higher client ids first, as Yjs writes them (its conflict resolution prefers that order).
  const changed: Array<[client: number, from: number]> = [];
  for (const [client, clock] of tr.afterState) {
    const from = tr.beforeState.get(client) ?? 0;
    if (clock > from) changed.push([client, from]);
  }
  changed.sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(encoder.restEncoder, changed.length);
  for (const [client, from] of changed) {
    const structs = store.clients.get(client)!;
    const clock = Math.max(from, structs[0]!.id.clock);
    const first = Y.findIndexSS(structs, clock);
    encoding.writeVarUint(encoder.restEncoder, structs.length - first);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    structs[first]!.write(encoder, clock - structs[first]!.id.clock);
    for (let i = first + 1; i < structs.length; i++) structs[i]!.write(encoder, 0);
  }
  const deletions = [...tr.deleteSet.clients].sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(encoder.restEncoder, deletions.length);
  for (const [client, items] of deletions) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, items.length);
    for (const item of items) {
      encoder.writeDsClock(item.clock);
      encoder.writeDsLen(item.len);
    }
  }
  return encoder.toUint8Array();
}

/**
 * Where an update's structs sit: per block of the V1 encoding, its client and the clock range
 * it covers (`[client, from, to, client, from, to, …]`), as update-slices.ts reads it.
 */
export type StructLayout = readonly number[];

/**
 * Whether applying an update with this layout integrated exactly its structs, so that the
 * update as sent is the transaction's update (up to deletions that integration implies and
 * deletions of what was deleted already, which every receiver derives or skips alike):
 * nothing was pending before or after, and each block started where its client stood and
 * ended where it stands now (no struct the document had, none left waiting, none of another
 * client's brought in).
 */
export function appliedAsSent(tr: Y.Transaction, layout: StructLayout, pendingBefore: boolean): boolean {
  const store = tr.doc.store;
  if (pendingBefore || store.pendingStructs !== null || store.pendingDs !== null) return false;
  for (let i = 0; i < layout.length; i += 3) {
    const client = layout[i]!;
    if ((tr.beforeState.get(client) ?? 0) !== layout[i + 1] || (tr.afterState.get(client) ?? 0) !== layout[i + 2])
      return false;
  }
  return true;
}
