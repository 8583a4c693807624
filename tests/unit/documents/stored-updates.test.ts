import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { checkStoredUpdates, DamagedDocumentError } from '../../../src/core/documents/stored-updates.ts';

function updates(): Uint8Array[] {
  const doc = new Y.Doc();
  const list: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => list.push(u));
  doc.getMap('meta').set('name', 'a');
  doc.getText('t').insert(0, 'hello');
  doc.getMap('meta').set('name', 'b');
  return list;
}

test('intact stored updates pass', () => {
  checkStoredUpdates('doc1', updates());
});

test('garbage bytes are reported as a damaged document naming the id and the update', () => {
  const list = updates();
  list[1] = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02]);
  try {
    checkStoredUpdates('doc1', list);
    assert.unreachable('should throw');
  } catch (error) {
    assert.instance(error, DamagedDocumentError);
    assert.is((error as DamagedDocumentError).docId, 'doc1');
    assert.match((error as Error).message, /doc1/);
  }
});

test('a missing update that later ones depend on is reported as damage', () => {
  const list = updates();
  assert.throws(
    () => checkStoredUpdates('doc2', [list[0]!, list[2]!]),
    (e: Error) => e instanceof DamagedDocumentError && /missing/.test(e.message),
  );
});

test('a non-binary stored value is reported as damage', () => {
  assert.throws(() => checkStoredUpdates('doc3', ['text']), /not binary/);
});

test.run();
