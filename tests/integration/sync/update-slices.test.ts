/**
 * planUpdate (sync-server/relay/update-slices.ts): the slices of a large update, applied one by
 * one, give exactly the document the whole update gives, for every kind of content Yjs writes
 * (map entries of every value type, text with surrogate pairs, arrays, XML, deletions, several
 * clients whose structs build on each other). Seeded: replay with SLICES_SEED=<seed>.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { planUpdate } from '../../../sync-server/relay/update-slices.ts';
import { seededRandom } from '../../support/signals.ts';

const seed = Number(process.env.SLICES_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`slices seed ${seed} (replay with SLICES_SEED=${seed})`);
const random = seededRandom(seed);
const int = (n: number) => Math.floor(random() * n);

/** Edits of every content kind by three clients that sync now and then (so structs cross-reference). */
function mixedHistory(): Y.Doc {
  const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
  const values = [
    () => int(1e6),
    () => random(),
    () => 'x'.repeat(int(20)) + '😀',
    () => ({ v: String(int(100)), d: 1, nested: [true, null, { k: 2n ** 40n }] }),
    () => new Uint8Array([1, 2, 3]),
    () => false,
  ];
  for (let round = 0; round < 400; round++) {
    const doc = docs[int(3)]!;
    const edit = int(7);
    if (edit === 0) doc.getMap('edits').set(`${int(300)}|a|gain`, values[int(values.length)]!());
    else if (edit === 1) doc.getMap('edits').delete(`${int(300)}|a|gain`);
    else if (edit === 2) {
      const text = doc.getText('notes');
      text.insert(int(text.length + 1), random() < 0.3 ? 'a𝄞b' : 'hello ', random() < 0.2 ? { bold: true } : undefined);
    } else if (edit === 3) {
      const text = doc.getText('notes');
      if (text.length > 2) text.delete(int(text.length - 1), 1 + int(2));
    } else if (edit === 4) doc.getArray('list').insert(0, [int(10), 'y', { z: [1] }]);
    else if (edit === 5) {
      const element = new Y.XmlElement('strip');
      element.setAttribute('name', `s${int(9)}`);
      doc.getXmlFragment('xml').insert(0, [element]);
    } else {
      const [a, b] = [docs[int(3)]!, docs[int(3)]!];
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
    }
  }
  for (const a of docs) for (const b of docs) Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return docs[0]!;
}

function applySlices(slices: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const slice of slices) Y.applyUpdate(doc, slice);
  return doc;
}

const sameState = (a: Y.Doc, b: Y.Doc) => {
  assert.equal(a.getMap('edits').toJSON(), b.getMap('edits').toJSON());
  assert.equal(a.getText('notes').toDelta(), b.getText('notes').toDelta());
  assert.equal(a.getArray('list').toJSON(), b.getArray('list').toJSON());
  assert.is(a.getXmlFragment('xml').toString(), b.getXmlFragment('xml').toString());
  assert.equal(Y.encodeStateVector(a), Y.encodeStateVector(b));
  assert.is(a.store.pendingStructs, null);
  assert.is(a.store.pendingDs, null);
};

test('slices of a mixed multi-client history rebuild the same document', () => {
  for (let run = 0; run < 3; run++) {
    const source = mixedHistory();
    const update = Y.encodeStateAsUpdate(source);
    const whole = new Y.Doc();
    Y.applyUpdate(whole, update);
    for (const sliceStructs of [1, 7, 50]) {
      const plan = planUpdate(update, { maxStructs: 1_000_000, sliceStructs });
      assert.is(plan.kind, 'slices', `slices of ${sliceStructs}`);
      if (plan.kind !== 'slices') return;
      assert.ok(plan.slices.length >= plan.structs / sliceStructs);
      sameState(applySlices(plan.slices), whole);
    }
  }
});

test('an update with few structs is applied whole; one over the limit is refused before its structs are read', () => {
  const doc = new Y.Doc();
  doc.getMap('m').set('a', 1);
  doc.getMap('m').set('b', 'two');
  // Its layout: one block of this client, clocks 0 to 2 (what appliedAsSent compares).
  assert.equal(planUpdate(Y.encodeStateAsUpdate(doc), { maxStructs: 10, sliceStructs: 5 }), {
    kind: 'whole',
    structs: 2,
    layout: [doc.clientID, 0, 2],
  });
  // Bytes after the delete set (Yjs ignores them): applied, but no layout, so not passed on as sent.
  const padded = Uint8Array.from([...Y.encodeStateAsUpdate(doc), 1, 2, 3]);
  assert.equal(planUpdate(padded, { maxStructs: 10, sliceStructs: 5 }), { kind: 'whole', structs: 2, layout: null });
  // A header claiming a million structs in a few bytes: refused on the claim.
  const claim = Uint8Array.of(1, 0xc0, 0x84, 0x3d, 7, 0, 0);
  assert.is(planUpdate(claim, { maxStructs: 500_000, sliceStructs: 2000 }).kind, 'too-many');
});

test('truncated updates are refused as malformed', () => {
  const source = mixedHistory();
  const update = Y.encodeStateAsUpdate(source);
  for (const cut of [3, 10, Math.floor(update.length / 2)]) {
    assert.throws(() => {
      const plan = planUpdate(update.subarray(0, cut), { maxStructs: 1_000_000, sliceStructs: 10 });
      if (plan.kind === 'whole') Y.applyUpdate(new Y.Doc(), update.subarray(0, cut));
    });
  }
});

test.run();
