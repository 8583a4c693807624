/**
 * The account's view on a device: its own documents' renames and Trash reach the server once
 * each (and friends' or account-less documents never), and a share that disappeared from the
 * server's list is reported so the shell deletes the local copy — never on a network failure.
 * The API is a plain object in the shape of AccountApi answering from memory; storage is a Map.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LibraryEntry } from '../../../src/core/documents/library-entry.ts';
import type { ServerDocument, SharedDocument, TrashedDocument } from '../../../src/platform/account/account-api.ts';
import { makeAccountLibrary } from '../../../src/platform/account/account-library.ts';
import { makeAccountMirror } from '../../../src/platform/account/account-mirror.ts';

const doc = (id: string, name: string): ServerDocument => ({
  id,
  name,
  kind: 'console-config',
  tags: [],
  notes: '',
  roomProfile: '',
  updatedAt: 1,
});
const entry = (id: string, name: string, deletedAt: number | null = null): LibraryEntry => ({
  ...doc(id, name),
  kind: 'console-config',
  room: null,
  createdAt: 1,
  deletedAt,
  size: 10,
});

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

/** A server answering from memory, recording what the device sent. */
function server() {
  const state = {
    documents: [doc('mine', 'Show')] as ServerDocument[],
    sharedWithMe: [{ ...doc('friends', 'Their mix'), owner: 'ana@example.com', sharedAt: 1 }] as SharedDocument[],
    trash: [] as TrashedDocument[],
    offline: false,
    calls: [] as string[],
  };
  const api = {
    documents: async () => {
      if (state.offline) throw Object.assign(new Error('offline'), { status: 0 });
      return { documents: state.documents, sharedWithMe: state.sharedWithMe };
    },
    trash: async () => state.trash,
    putDocument: async (d: ServerDocument) => {
      state.calls.push(`PUT ${d.id} ${d.name}`);
      return d;
    },
    trashDocument: async (id: string) => void state.calls.push(`DELETE ${id}`),
    restoreDocument: async (id: string) => {
      state.calls.push(`RESTORE ${id}`);
      return doc(id, '');
    },
  };
  return { state, api };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('renames and Trash of the account’s own documents are sent once each; other documents never', async () => {
  const { state, api } = server();
  const account = makeAccountLibrary({ api, storage: memoryStorage() });
  let emit: (entries: LibraryEntry[]) => void = () => {};
  const stop = makeAccountMirror({
    account,
    api,
    watchEntries: (f) => ((emit = f), () => {}),
    onError: assert.unreachable,
  });
  await account.setSignedIn(true);
  emit([entry('mine', 'Show'), entry('friends', 'Renamed locally'), entry('local', 'Only here')]);
  await settle();
  assert.equal(state.calls, [], 'nothing changed on the account’s own document');
  emit([entry('mine', 'Friday show'), entry('friends', 'Renamed locally'), entry('local', 'Only here, renamed')]);
  emit([entry('mine', 'Friday show'), entry('friends', 'Renamed locally'), entry('local', 'Only here, renamed')]);
  await settle();
  assert.equal(state.calls, ['PUT mine Friday show'], 'one rename, one PUT; friends’ and account-less documents stay');
  emit([entry('mine', 'Friday show', 5)]);
  await settle();
  emit([entry('mine', 'Friday show', null)]);
  await settle();
  assert.equal(state.calls, ['PUT mine Friday show', 'DELETE mine', 'RESTORE mine']);
  stop();
});

test('a share gone from the server’s list is reported once; an offline refresh or a never signed-in device reports nothing', async () => {
  const { state, api } = server();
  const storage = memoryStorage();
  let asked = 0;
  const counting = { ...api, documents: () => (asked++, api.documents()) };
  const account = makeAccountLibrary({ api: counting, storage });
  assert.is(await account.refresh(), null);
  assert.is(asked, 0, 'a device never signed in does not ask');
  const gone: string[] = [];
  account.onShareGone((id) => gone.push(id));
  await account.setSignedIn(true);
  assert.is(account.sharedWithMe('friends')?.owner, 'ana@example.com');
  state.sharedWithMe = [];
  state.offline = true;
  await account.refresh();
  assert.equal(gone, [], 'a network failure deletes nothing');
  assert.ok(account.sharedWithMe('friends'), 'the last answer stays');
  state.offline = false;
  await account.refresh();
  await account.refresh();
  assert.equal(gone, ['friends']);
  assert.is(account.sharedWithMe('friends'), undefined);
});

test.run();
