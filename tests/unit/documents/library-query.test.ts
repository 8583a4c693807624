import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LibraryEntry } from '../../../src/core/documents/library-entry.ts';
import {
  DEFAULT_QUERY,
  expiredInTrash,
  queryLibrary,
  roomProfiles,
  TRASH_RETENTION_MS,
} from '../../../src/core/documents/library-query.ts';

const DAY = 86_400_000;
function entry(id: string, fields: Partial<LibraryEntry> = {}): LibraryEntry {
  return {
    id,
    kind: 'console-config',
    name: id,
    tags: [],
    notes: '',
    roomProfile: '',
    room: null,
    createdAt: 0,
    updatedAt: 0,
    deletedAt: null,
    size: 0,
    ...fields,
  };
}
const entries = [
  entry('a', { name: 'Pro Tools soft keys', tags: ['live'], roomProfile: 'Stage A', updatedAt: 3 }),
  entry('b', { name: 'Mix report', kind: 'analysis-report', notes: 'Spotify master, too loud', updatedAt: 2 }),
  entry('c', { name: 'Élan layout', tags: ['Broadcast'], roomProfile: 'Studio 2', updatedAt: 1 }),
  entry('d', { name: 'Old layout', deletedAt: 100, updatedAt: 4 }),
];
const ids = (list: LibraryEntry[]) => list.map((e) => e.id);

test('the library lists what is not in Trash, last edited first', () => {
  assert.equal(ids(queryLibrary(entries, DEFAULT_QUERY)), ['a', 'b', 'c']);
});

test('the Trash lists only trashed documents', () => {
  assert.equal(ids(queryLibrary(entries, { ...DEFAULT_QUERY, view: 'trash' })), ['d']);
});

test('search finds words in the name, tags and notes, every word must match, accents and case ignored', () => {
  const find = (text: string) => ids(queryLibrary(entries, { ...DEFAULT_QUERY, text }));
  assert.equal(find('soft'), ['a']);
  assert.equal(find('LIVE'), ['a']);
  assert.equal(find('spotify loud'), ['b']);
  assert.equal(find('elan'), ['c']);
  assert.equal(find('spotify layout'), []);
});

test('filters by kind and by room profile', () => {
  assert.equal(ids(queryLibrary(entries, { ...DEFAULT_QUERY, kind: 'analysis-report' })), ['b']);
  assert.equal(ids(queryLibrary(entries, { ...DEFAULT_QUERY, roomProfile: 'Studio 2' })), ['c']);
  assert.equal(roomProfiles(entries), ['Stage A', 'Studio 2']);
});

test('sorts by name in natural order, ascending or descending', () => {
  const list = [entry('x', { name: 'Layout 10' }), entry('y', { name: 'layout 9' }), entry('z', { name: 'Layout 1' })];
  assert.equal(ids(queryLibrary(list, { ...DEFAULT_QUERY, sort: 'name', descending: false })), ['z', 'y', 'x']);
  assert.equal(ids(queryLibrary(list, { ...DEFAULT_QUERY, sort: 'name', descending: true })), ['x', 'y', 'z']);
});

test('documents in Trash for more than 30 days expire, younger ones stay', () => {
  const now = 100 * DAY;
  const list = [
    entry('old', { deletedAt: now - TRASH_RETENTION_MS - 1 }),
    entry('young', { deletedAt: now - 29 * DAY }),
    entry('kept'),
  ];
  assert.equal(ids(expiredInTrash(list, now)), ['old']);
});

test.run();
