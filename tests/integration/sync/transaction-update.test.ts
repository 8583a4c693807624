/**
 * transaction-update.ts: the update the relay stores and broadcasts for a transaction.
 *  - encodeTransactionUpdate gives, byte for byte, what Yjs's own 'update' event gives, for
 *    every kind of content and for updates that arrive out of order (pending structs), twice,
 *    or carrying structs the document has.
 *  - When appliedAsSent says yes, the update as the client sent it is equivalent: a receiver
 *    fed only what the relay would send ends with exactly the relay's document.
 * Seeded: replay with TRANSACTION_SEED=<seed>.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  appliedAsSent,
  encodeTransactionUpdate,
  transactionChanged,
} from '../../../sync-server/relay/transaction-update.ts';
import { DEFAULT_UPDATE_LIMITS, planUpdate } from '../../../sync-server/relay/update-slices.ts';
import { seededRandom } from '../../support/signals.ts';

const seed = Number(process.env.TRANSACTION_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`transaction-update seed ${seed} (replay with TRANSACTION_SEED=${seed})`);
const random = seededRandom(seed);
const int = (n: number) => Math.floor(random() * n);

/** One random edit of every content kind Yjs writes, on one client's document. */
function edit(doc: Y.Doc): void {
  const kind = int(8);
  if (kind === 0) doc.getMap('edits').set(`k${int(20)}`, [int(1e6), random(), 'v😀', { n: [true, null] }][int(4)]);
  else if (kind === 1) doc.getMap('edits').delete(`k${int(20)}`);
  else if (kind === 2) {
    const text = doc.getText('notes');
    text.insert(int(text.length + 1), random() < 0.3 ? 'a𝄞b' : 'hello ', random() < 0.2 ? { bold: true } : undefined);
  } else if (kind === 3) {
    const text = doc.getText('notes');
    if (text.length > 2) text.delete(int(text.length - 1), 1 + int(2));
  } else if (kind === 4) doc.getArray('list').insert(0, [int(10), new Uint8Array([1, 2])]);
  else if (kind === 5) {
    const list = doc.getArray('list');
    if (list.length > 0) list.delete(int(list.length), 1);
  } else if (kind === 6) {
    const element = new Y.XmlElement('strip');
    element.setAttribute('name', `s${int(9)}`);
    doc.getXmlFragment('xml').insert(0, [element]);
  } else {
    const fragment = doc.getXmlFragment('xml');
    const first = fragment.get(0);
    if (first instanceof Y.XmlElement) first.setAttribute('colour', `c${int(5)}`);
  }
}

/**
 * The relay's side of it: a server document applying client updates as the relay does, and
 * what it would store and send for each (the client's bytes when appliedAsSent, else the
 * transaction's update). `viaYjs` collects Yjs's own 'update' event for the same transactions.
 */
function relayDoc() {
  const doc = new Y.Doc({ gc: true });
  const sent: Uint8Array[] = [];
  const viaYjs: Uint8Array[] = [];
  const ours: Uint8Array[] = [];
  let asSent = 0;
  let applying: { update: Uint8Array; layout: readonly number[] | null; pendingBefore: boolean } | null = null;
  doc.on('update', (update: Uint8Array) => viaYjs.push(update));
  doc.on('afterTransactionCleanup', (tr: Y.Transaction) => {
    if (!transactionChanged(tr)) return;
    const encoded = encodeTransactionUpdate(tr);
    ours.push(encoded);
    if (applying?.layout && appliedAsSent(tr, applying.layout, applying.pendingBefore)) {
      asSent++;
      sent.push(applying.update);
    } else sent.push(encoded);
  });
  const apply = (update: Uint8Array) => {
    const plan = planUpdate(update, DEFAULT_UPDATE_LIMITS);
    const store = doc.store;
    applying = {
      update,
      layout: plan.kind === 'whole' ? plan.layout : null,
      pendingBefore: store.pendingStructs !== null || store.pendingDs !== null,
    };
    try {
      Y.applyUpdate(doc, update);
    } finally {
      applying = null;
    }
  };
  return { doc, apply, sent, viaYjs, ours, asSentCount: () => asSent };
}

const sameState = (a: Y.Doc, b: Y.Doc) => {
  assert.equal(Y.encodeStateVector(a), Y.encodeStateVector(b), 'state vectors');
  assert.equal(a.getMap('edits').toJSON(), b.getMap('edits').toJSON());
  assert.is(a.getText('notes').toString(), b.getText('notes').toString());
  assert.equal(a.getText('notes').toDelta(), b.getText('notes').toDelta());
  assert.equal(a.getArray('list').toJSON(), b.getArray('list').toJSON());
  assert.is(a.getXmlFragment('xml').toString(), b.getXmlFragment('xml').toString());
  assert.ok(
    Y.equalDeleteSets(Y.createDeleteSetFromStructStore(a.store), Y.createDeleteSetFromStructStore(b.store)),
    'delete sets',
  );
};

test('the transaction update is byte for byte what Yjs emits, in order and out of order', () => {
  for (let round = 0; round < 20; round++) {
    const clients = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const outbox: Uint8Array[] = [];
    for (const c of clients) c.on('update', (u: Uint8Array) => outbox.push(u));
    const relay = relayDoc();
    for (let step = 0; step < 120; step++) {
      const client = clients[int(3)]!;
      edit(client);
      // Clients sync among themselves now and then, so their updates build on each other's.
      if (random() < 0.2) {
        const other = clients[int(3)]!;
        Y.applyUpdate(other, Y.encodeStateAsUpdate(client, Y.encodeStateVector(other)));
      }
      // The relay gets updates late, out of order and sometimes twice.
      while (outbox.length > 0 && random() < 0.6) {
        const at = random() < 0.3 ? int(outbox.length) : 0;
        const update = outbox[at]!;
        if (random() < 0.9) outbox.splice(at, 1);
        relay.apply(update);
      }
    }
    for (const update of outbox) relay.apply(update);
    assert.is(relay.ours.length, relay.viaYjs.length);
    relay.ours.forEach((u, i) => assert.equal(u, relay.viaYjs[i], `transaction ${i} of round ${round}`));
  }
});

test('a receiver fed what the relay sends ends with the relay document, and ordinary edits go as sent', () => {
  let asSent = 0;
  let transactions = 0;
  for (let round = 0; round < 20; round++) {
    const clients = [new Y.Doc(), new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const relay = relayDoc();
    // Most rounds deliver in order (an ordinary session); some shuffle, duplicate and delay.
    const disorder = round % 3 === 0 ? 0.4 : 0;
    const outbox: Uint8Array[] = [];
    for (const c of clients) c.on('update', (u: Uint8Array, origin: unknown) => origin !== 'relay' && outbox.push(u));
    for (let step = 0; step < 150; step++) {
      edit(clients[int(clients.length)]!);
      while (outbox.length > 0 && (disorder === 0 || random() < 0.6)) {
        const at = random() < disorder ? int(outbox.length) : 0;
        const update = outbox[at]!;
        if (random() >= disorder / 4) outbox.splice(at, 1);
        const before = relay.sent.length;
        relay.apply(update);
        // What the relay sends reaches every client, as a broadcast does.
        for (const u of relay.sent.slice(before)) for (const c of clients) Y.applyUpdate(c, u, 'relay');
      }
    }
    for (const update of outbox.splice(0)) relay.apply(update);
    const receiver = new Y.Doc();
    for (const u of relay.sent) Y.applyUpdate(receiver, u);
    sameState(receiver, relay.doc);
    asSent += relay.asSentCount();
    transactions += relay.sent.length;
  }
  // Ordinary edits (in order, each new) take the as-sent path; this fails if it never does.
  assert.ok(asSent > transactions / 2, `${asSent} of ${transactions} transactions went as sent`);
});

test('an update with structs the document has, or that leaves structs waiting, is re-encoded', () => {
  const client = new Y.Doc();
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  client.getMap('m').set('a', 1);
  client.getMap('m').set('b', 2);
  const relay = relayDoc();
  relay.apply(updates[1]!); // its origin is missing: pending
  assert.is(relay.sent.length, 0);
  relay.apply(updates[0]!); // brings the pending one in: one transaction with both
  assert.is(relay.asSentCount(), 0);
  assert.equal(relay.sent, relay.viaYjs);
  relay.apply(Y.encodeStateAsUpdate(client)); // everything known already: nothing to send
  assert.is(relay.sent.length, 1);
  client.getMap('m').set('c', 3);
  relay.apply(Y.encodeStateAsUpdate(client)); // one new struct beside known ones: re-encoded
  assert.is(relay.asSentCount(), 0);
  assert.equal(relay.sent, relay.viaYjs);
  client.getMap('m').set('d', 4);
  relay.apply(updates[updates.length - 1]!); // an ordinary edit: as sent
  assert.is(relay.asSentCount(), 1);
  assert.is(relay.sent[relay.sent.length - 1], updates[updates.length - 1]);

  // Part of an update integrates and part waits (it deletes a struct the relay never got):
  // only the part that integrated is sent, as Yjs would, not the waiting deletion.
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  b.getMap('m').set('x', 1);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  const fromA: Uint8Array[] = [];
  a.on('update', (u: Uint8Array) => fromA.push(u));
  a.transact(() => {
    a.getMap('n').set('y', 2);
    a.getMap('m').delete('x');
  });
  const other = relayDoc();
  other.apply(fromA[0]!);
  assert.ok(other.doc.store.pendingDs !== null, 'the deletion waits');
  assert.is(other.asSentCount(), 0);
  assert.equal(other.sent, other.viaYjs);
  assert.is.not(other.sent[0]!.length, fromA[0]!.length);
});

test.run();
