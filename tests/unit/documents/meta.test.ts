import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import {
  initMeta,
  nameProblem,
  normaliseTags,
  readMeta,
  updateMeta,
  type DocumentMeta,
} from '../../../src/core/documents/meta.ts';

const base: DocumentMeta = {
  kind: 'console-config',
  name: 'Stage A',
  tags: [],
  notes: '',
  roomProfile: '',
  room: null,
  createdAt: 1,
  updatedAt: 1,
  deletedAt: null,
};

test('an empty or blank name is refused with a message', () => {
  assert.match(nameProblem('') ?? '', /empty/);
  assert.match(nameProblem('   ') ?? '', /empty/);
});

test('a name over 200 characters is refused and the message gives the length', () => {
  assert.is(nameProblem('x'.repeat(200)), null);
  assert.match(nameProblem('x'.repeat(201)) ?? '', /at most 200 characters \(this one has 201\)/);
});

test('tags are trimmed and de-duplicated without regard to case', () => {
  assert.equal(normaliseTags([' live ', 'Live', '', 'broadcast']), ['live', 'broadcast']);
});

test('metadata written to a document reads back, and edits stamp the update time', () => {
  const doc = new Y.Doc();
  initMeta(doc, { ...base, tags: ['a'] });
  updateMeta(doc, { name: '  Stage B  ', notes: 'n', roomProfile: 'Room 1' }, 50);
  assert.equal(readMeta(doc), {
    ...base,
    name: 'Stage B',
    tags: ['a'],
    notes: 'n',
    roomProfile: 'Room 1',
    updatedAt: 50,
  });
});

test("a room profile's surface and strips read back; a value that is not one clears it", () => {
  const doc = new Y.Doc();
  initMeta(doc, base);
  assert.is(readMeta(doc)?.room, null);
  updateMeta(doc, { room: { surface: 'S3', strips: 16 } }, 2);
  assert.equal(readMeta(doc)?.room, { surface: 'S3', strips: 16 });
  updateMeta(doc, { room: null }, 3);
  assert.is(readMeta(doc)?.room, null);
  // A damaged or hand-made value is never trusted as it stands.
  doc.getMap('meta').set('room', { surface: 'S1', strips: 99 });
  assert.equal(readMeta(doc)?.room, { surface: 'S1', strips: 16 });
});

test('an invalid rename changes nothing in the document', () => {
  const doc = new Y.Doc();
  initMeta(doc, base);
  const before = Y.encodeStateAsUpdate(doc);
  assert.throws(() => updateMeta(doc, { name: '' }, 9), /empty/);
  assert.equal(Y.encodeStateAsUpdate(doc), before);
});

test('metadata edits by two people on different fields both survive the merge', () => {
  const a = new Y.Doc();
  const b = new Y.Doc();
  initMeta(a, base);
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  updateMeta(a, { notes: 'from A' }, 10);
  updateMeta(b, { tags: ['from B'] }, 11);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  assert.equal(readMeta(a), readMeta(b));
  assert.is(readMeta(a)?.notes, 'from A');
  assert.equal(readMeta(a)?.tags, ['from B']);
});

test('a document without a valid kind is not read as a Mixdesk document', () => {
  const doc = new Y.Doc();
  doc.getMap('meta').set('kind', 'spreadsheet');
  assert.is(readMeta(doc), null);
});

test.run();
