/**
 * Inserting with a rank (InsertOptions.rank): siblings several people insert at once are ordered
 * by rank on every replica whatever each had seen, each on its own indented line; the place asked
 * for still wins when unranked nodes sit among ranked ones. Also the key prefix that makes it work.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  childElements,
  childNodes,
  exportXmlText,
  getAttribute,
  importXml,
  insertElement,
  rootElement,
  type NodeId,
} from '../../../src/core/xml/index.ts';
import { gapPrefix, keyBetween } from '../../../src/core/xml/order-key.ts';
import { seededRandom } from '../../support/xml-corpus.ts';

function pair(text: string): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  a.clientID = 7;
  importXml(a, new TextEncoder().encode(text), 'ranked.xml');
  const b = new Y.Doc();
  b.clientID = 3;
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const names = (doc: Y.Doc): Array<string | null> =>
  childElements(doc, rootElement(doc)).map((e) => getAttribute(doc, e, 'n'));

/** Inserts `<e n=".."/>` ranked by n, before the first sibling with a larger n (the caller's own order). */
function insertRanked(doc: Y.Doc, n: number): NodeId {
  const root = rootElement(doc);
  const after = childElements(doc, root).find((e) => Number(getAttribute(doc, e, 'n')) > n);
  const index = after === undefined ? Number.MAX_SAFE_INTEGER : childNodes(doc, root).indexOf(after);
  return insertElement(doc, root, index, 'e', [['n', String(n)]], { rank: String(n).padStart(2, '0') });
}

test('ranked inserts made apart, from different views, merge in rank order on their own lines', () => {
  const [a, b] = pair('<r>\n  <e n="1"/>\n  <e n="20"/>\n</r>\n');
  insertRanked(a, 5);
  insertRanked(a, 3);
  insertRanked(b, 4);
  insertRanked(b, 9);
  insertRanked(b, 7);
  sync(a, b);
  assert.is(exportXmlText(a), exportXmlText(b));
  assert.equal(names(a), ['1', '3', '4', '5', '7', '9', '20']);
  assert.is(
    exportXmlText(a),
    '<r>\n  <e n="1"/>\n' + [3, 4, 5, 7, 9].map((n) => `  <e n="${n}"/>\n`).join('') + '  <e n="20"/>\n</r>\n',
  );
});

test('a ranked insert next to an unranked node put inside a ranked run lands where asked', () => {
  const [a] = pair('<r>\n  <e n="1"/>\n  <e n="20"/>\n</r>\n');
  for (const n of [3, 5, 9, 12]) insertRanked(a, n);
  const root = rootElement(a);
  const nine = childElements(a, root).find((e) => getAttribute(a, e, 'n') === '9')!;
  insertElement(a, root, childNodes(a, root).indexOf(nine), 'e', [['n', '8']]);
  insertRanked(a, 10);
  insertRanked(a, 6);
  assert.equal(names(a), ['1', '3', '5', '6', '8', '9', '10', '12', '20']);
  assert.not.match(exportXmlText(a), /\n[ ]*\n|><e/);
});

test('a rank must be digits and lower-case letters', () => {
  const [a] = pair('<r/>');
  assert.throws(() => insertElement(a, rootElement(a), 0, 'e', [], { rank: 'A-1' }), /not a valid rank/);
});

test('keys built on a gap prefix stay inside the gap, whatever is appended', () => {
  const seed = Number(process.env.XML_SEED ?? 77);
  const rnd = seededRandom(seed);
  let keys: string[] = [keyBetween(null, null)];
  for (let i = 0; i < 300; i++) {
    const at = Math.floor(rnd() * (keys.length + 1));
    const k =
      rnd() < 0.5
        ? keyBetween(keys[at - 1] ?? null, keys[at] ?? null)
        : gapPrefix(keys[at - 1] ?? null, keys[at] ?? null) + 'i';
    keys.splice(at, 0, k);
  }
  keys = [...new Set(keys)];
  for (let i = 0; i <= keys.length; i++) {
    const lo = keys[i - 1] ?? null;
    const hi = keys[i] ?? null;
    const p = gapPrefix(lo, hi);
    for (const tail of ['', '0', 'zzz', '000z', 'i']) {
      const k = p + tail;
      if ((lo !== null && !(lo < k)) || (hi !== null && !(k < hi)))
        assert.unreachable(`seed ${seed}: ${JSON.stringify(p + tail)} outside (${lo}, ${hi})`);
    }
  }
});

test.run();
