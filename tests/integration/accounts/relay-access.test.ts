import { test } from 'uvu';
import * as Y from 'yjs';
import * as assert from 'uvu/assert';
import { AccessCloseCode } from '../../../sync-server/accounts/index.ts';
import { watchRelayAccess, type RelayAccess } from '../../../src/platform/account/relay-access.ts';
import {
  api,
  closeCodes,
  connectAs,
  signIn,
  startAccountServer,
  upgradeStatus,
  type AccountServer,
} from '../../support/account-harness.ts';
import { connectClient, destroyClients, waitFor, waitSynced, type TestClient } from '../../support/relay-harness.ts';

const meta = (name: string) => ({
  name,
  kind: 'console-config',
  tags: ['live'],
  notes: '',
  roomProfile: 'Stage A S6',
  updatedAt: 1,
});

/** Ana and Ben signed in and friends. */
async function friends(server: AccountServer): Promise<{ ana: string; ben: string; benId: string }> {
  const ana = await signIn(server, 'ana@example.com');
  const ben = await signIn(server, 'ben@example.com');
  await api(server.base, 'POST', '/api/friends', { email: 'ben@example.com' }, { cookie: ana });
  const incoming = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ben })).body.incoming;
  assert.is(
    (await api(server.base, 'POST', `/api/friends/${incoming[0].id}/accept`, undefined, { cookie: ben })).status,
    200,
  );
  const benId = (await api(server.base, 'GET', '/api/me', undefined, { cookie: ben })).body.id;
  return { ana, ben, benId };
}

test('a document of an account is refused to anonymous and foreign connections before any data; documents of nobody stay open', async () => {
  const server = await startAccountServer();
  try {
    const origin = server.base;
    assert.is(await upgradeStatus(server, 'nobodys-doc', {}, origin), 101, "no owner: today's anonymous behaviour");
    const ana = await signIn(server, 'ana@example.com');
    const ben = await signIn(server, 'ben@example.com');
    assert.is((await api(server.base, 'PUT', '/api/documents/anas-show', meta('Show'), { cookie: ana })).status, 201);
    assert.is(await upgradeStatus(server, 'anas-show', {}, origin), 403, 'anonymous');
    assert.is(await upgradeStatus(server, 'anas-show', {}), 403, 'anonymous non-browser');
    assert.is(await upgradeStatus(server, 'anas-show', { cookie: ben }, origin), 403, 'another account');
    assert.is(await upgradeStatus(server, 'anas-show', { cookie: 'A'.repeat(43) }, origin), 403, 'a made-up session');
    assert.is(await upgradeStatus(server, 'anas-show', { cookie: ana }, origin), 101, 'the owner');
    assert.is(
      await upgradeStatus(server, 'anas-show', { cookie: ana }, 'https://evil.example'),
      403,
      "the owner's cookie from a foreign page",
    );
    const token = (await api(server.base, 'POST', '/api/tokens', { name: 'cli' }, { cookie: ana })).body.token;
    assert.is(await upgradeStatus(server, 'anas-show', { token }), 101, "the owner's CLI with an API token");
    assert.is(
      (await api(server.base, 'PUT', '/api/documents/anas-show', meta('Mine now'), { cookie: ben })).status,
      409,
      'no one else can claim it',
    );
    assert.is(await upgradeStatus(server, 'nobodys-doc', {}, origin), 101);
    assert.ok(server.relay.logs.some((r) => r.event === 'refused' && r.docId === 'anas-show' && r.code === 403));
    assert.not.ok(
      server.relay.logs.some((r) => r.event === 'connect' && r.docId === 'anas-show' && r.access !== 'read-write'),
    );
  } finally {
    await server.close();
  }
});

test('attaching a document cuts the anonymous connections already open on it, and they cannot come back', async () => {
  const server = await startAccountServer();
  const stranger = connectClient(server.relay.syncBase, 'shared-link-doc');
  const seen = closeCodes(stranger);
  try {
    await waitSynced(stranger);
    stranger.doc.getArray<string>('strips').push(['written while nobody owned it']);
    const ana = await signIn(server, 'ana@example.com');
    const owner = connectAs(server, 'shared-link-doc', {});
    await waitSynced(owner);
    await waitFor('the owner has the earlier content', () => owner.doc.getArray('strips').length === 1);
    destroyClients([owner]);
    assert.is(
      (await api(server.base, 'PUT', '/api/documents/shared-link-doc', meta('Attached'), { cookie: ana })).status,
      201,
    );
    await waitFor('the anonymous connection is closed', () => seen.codes.includes(AccessCloseCode.reauthenticate));
    stranger.doc.getArray<string>('strips').push(['after the attach']);
    await new Promise((next) => setTimeout(next, 800));
    assert.not.ok(stranger.provider.wsconnected, 'its reconnects are refused');
    const anaClient = connectAs(server, 'shared-link-doc', { cookie: ana });
    await waitSynced(anaClient);
    assert.equal(anaClient.doc.getArray('strips').toArray(), ['written while nobody owned it']);
    destroyClients([anaClient]);
  } finally {
    destroyClients([stranger]);
    await server.close();
  }
});

test('a friend the document is shared with reads it live, read-only; revoking closes their socket within 1 s for good', async () => {
  const server = await startAccountServer();
  const clients: TestClient[] = [];
  try {
    const { ana, ben, benId } = await friends(server);
    await api(server.base, 'PUT', '/api/documents/show-file', meta('Friday show'), { cookie: ana });
    assert.is(await upgradeStatus(server, 'show-file', { cookie: ben }, server.base), 403, 'not shared yet');
    const shared = await api(
      server.base,
      'POST',
      '/api/documents/show-file/shares',
      { email: 'ben@example.com' },
      { cookie: ana },
    );
    assert.is(shared.status, 201);
    assert.is(shared.body.access, 'read-only');
    const list = (await api(server.base, 'GET', '/api/documents', undefined, { cookie: ben })).body;
    assert.equal(
      list.sharedWithMe.map((d: { name: string; owner: string }) => [d.name, d.owner]),
      [['Friday show', 'ana@example.com']],
    );

    const anaClient = connectAs(server, 'show-file', { cookie: ana });
    const benClient = connectAs(server, 'show-file', { cookie: ben });
    clients.push(anaClient, benClient);
    const benCloses = closeCodes(benClient);
    const benAccess: RelayAccess[] = [];
    watchRelayAccess(benClient.provider, (access) => benAccess.push(access));
    await Promise.all([waitSynced(anaClient), waitSynced(benClient)]);
    await waitFor("Ben's app learns it is read-only", () => benAccess.includes('read-only'));
    anaClient.doc.getArray<string>('strips').push(['kick']);
    await waitFor("Ben sees Ana's edit live", () => benClient.doc.getArray('strips').length === 1);
    benClient.doc.getArray<string>('strips').push(['ben tries to edit']);
    anaClient.doc.getArray<string>('strips').push(['snare']);
    await waitFor('Ben sees the second edit', () => benClient.doc.getArray('strips').length === 3);
    await new Promise((next) => setTimeout(next, 200));
    assert.equal(anaClient.doc.getArray('strips').toArray(), ['kick', 'snare'], "Ben's edit never reached Ana");
    assert.ok(
      server.relay.logs.some((r) => r.event === 'connect' && r.docId === 'show-file' && r.access === 'read-only'),
    );

    const before = performance.now();
    const revoked = await api(server.base, 'DELETE', `/api/documents/show-file/shares/${benId}`, undefined, {
      cookie: ana,
    });
    assert.is(revoked.status, 204);
    await waitFor("Ben's socket is closed", () => benCloses.codes.length > 0, 1000);
    assert.is(benCloses.codes[0], AccessCloseCode.revoked);
    assert.equal(benAccess, ['read-only', 'revoked'], "the app can close Ben's view");
    assert.ok(
      benCloses.at[0]! - before < 1000,
      `closed ${(benCloses.at[0]! - before).toFixed(0)} ms after the revoke was asked`,
    );
    await new Promise((next) => setTimeout(next, 500));
    assert.not.ok(
      benClient.provider.shouldConnect && benClient.provider.wsconnected,
      'the stock client does not reconnect',
    );
    assert.is(await upgradeStatus(server, 'show-file', { cookie: ben }, server.base), 403);
    assert.equal(
      (await api(server.base, 'GET', '/api/documents', undefined, { cookie: ben })).body.sharedWithMe,
      [],
      "it left Ben's list",
    );
    assert.ok(anaClient.provider.wsconnected, 'Ana stays connected');
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test('moving a shared document to Trash cuts the friend off; restoring lets them back; removing the friend removes the share', async () => {
  const server = await startAccountServer();
  const clients: TestClient[] = [];
  try {
    const { ana, ben } = await friends(server);
    await api(server.base, 'PUT', '/api/documents/set-list', meta('Set list'), { cookie: ana });
    await api(server.base, 'POST', '/api/documents/set-list/shares', { email: 'ben@example.com' }, { cookie: ana });
    const benClient = connectAs(server, 'set-list', { cookie: ben });
    clients.push(benClient);
    const seen = closeCodes(benClient);
    await waitSynced(benClient);
    assert.is((await api(server.base, 'DELETE', '/api/documents/set-list', undefined, { cookie: ana })).status, 200);
    await waitFor('Ben is cut off', () => seen.codes.includes(AccessCloseCode.revoked), 1000);
    assert.is(
      await upgradeStatus(server, 'set-list', { cookie: ana }, server.base),
      101,
      'the owner can still open what is in Trash',
    );
    assert.is(await upgradeStatus(server, 'set-list', { cookie: ben }, server.base), 403);
    await api(server.base, 'POST', '/api/documents/set-list/restore', undefined, { cookie: ana });
    assert.is(await upgradeStatus(server, 'set-list', { cookie: ben }, server.base), 101);
    const friendId = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ben })).body.friends[0].id;
    assert.is((await api(server.base, 'DELETE', `/api/friends/${friendId}`, undefined, { cookie: ben })).status, 204);
    assert.is(await upgradeStatus(server, 'set-list', { cookie: ben }, server.base), 403, 'no friends, no share');
    assert.equal(
      (await api(server.base, 'GET', '/api/documents/set-list/shares', undefined, { cookie: ana })).body.shares,
      [],
    );
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test('signing a device out closes the sockets it opened', async () => {
  const server = await startAccountServer();
  const clients: TestClient[] = [];
  try {
    const laptop = await signIn(server, 'ana@example.com');
    const phone = await signIn(server, 'ana@example.com');
    await api(server.base, 'PUT', '/api/documents/notes', meta('Notes'), { cookie: laptop });
    const onLaptop = connectAs(server, 'notes', { cookie: laptop });
    const onPhone = connectAs(server, 'notes', { cookie: phone });
    clients.push(onLaptop, onPhone);
    const laptopCloses = closeCodes(onLaptop);
    await Promise.all([waitSynced(onLaptop), waitSynced(onPhone)]);
    await api(server.base, 'POST', '/api/auth/signout', undefined, { cookie: laptop });
    await waitFor('the laptop socket closes', () => laptopCloses.codes.includes(AccessCloseCode.revoked), 1000);
    await new Promise((next) => setTimeout(next, 200));
    assert.ok(onPhone.provider.wsconnected, 'the other device stays connected');
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test("a signed-in person's presence id stays theirs after they leave: a friend cannot take it over", async () => {
  const server = await startAccountServer();
  const clients: TestClient[] = [];
  try {
    const { ana, ben } = await friends(server);
    await api(server.base, 'PUT', '/api/documents/show-file', meta('Friday show'), { cookie: ana });
    await api(server.base, 'POST', '/api/documents/show-file/shares', { email: 'ben@example.com' }, { cookie: ana });
    const withId = (clientID: number) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      return doc;
    };
    // Ana's phone watches while her laptop (presence id 777) shows itself and leaves.
    const phone = connectAs(server, 'show-file', { cookie: ana });
    const laptop = connectAs(server, 'show-file', { cookie: ana }, { doc: withId(777) });
    clients.push(phone, laptop);
    await Promise.all([waitSynced(phone), waitSynced(laptop)]);
    laptop.provider.awareness.setLocalStateField('user', { name: 'Ana' });
    const seenName = () =>
      (phone.provider.awareness.getStates().get(777) as { user?: { name?: string } } | undefined)?.user?.name;
    await waitFor("the phone sees Ana's laptop", () => seenName() === 'Ana');
    const disconnects = () => server.relay.logs.filter((r) => r.event === 'disconnect').length;
    const before = disconnects();
    // The laptop drops off the network (no goodbye): a tab that will come back with the same id.
    laptop.provider.shouldConnect = false;
    (laptop.provider.ws as unknown as { terminate(): void } | null)?.terminate(); // the ws package socket
    await waitFor("the relay sees the laptop's connection close", () => disconnects() > before);
    await waitFor("the laptop's presence goes", () => seenName() === undefined);
    // Ben, whom the document is shared with, claims the same id under Ana's name.
    const spoof = connectAs(server, 'show-file', { cookie: ben }, { doc: withId(777) });
    clients.push(spoof);
    await waitSynced(spoof);
    spoof.provider.awareness.setLocalStateField('user', { name: 'Ana (spoofed by Ben)' });
    await waitFor('the relay refuses the reserved id', () =>
      server.relay.logs.some((r) => /client id 777, reserved/.test(String(r.reason))),
    );
    await new Promise((next) => setTimeout(next, 200));
    assert.is(seenName(), undefined, "Ana's phone never shows Ben under Ana's id");
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test.run();
