/**
 * The acceptance suite every AccountStore implementation must pass:
 * `runAccountStoreTests('Name', setup)` registers and runs an uvu suite against it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AccountStore, DocumentMetadata } from '../../sync-server/accounts/account-store.ts';

export interface AccountStoreFixture {
  store: AccountStore;
  /** Closes `store` and opens a new instance on the same storage. */
  reopen(): Promise<AccountStore>;
  teardown(): Promise<void>;
}

const HOUR = 3_600_000;

function meta(id: string, name = `Doc ${id}`): DocumentMetadata {
  return {
    id,
    name,
    kind: 'console-config',
    tags: ['live', 'stage A'],
    notes: 'n',
    roomProfile: 'Stage A S6',
    updatedAt: 1000,
  };
}

export function runAccountStoreTests(name: string, setup: () => Promise<AccountStoreFixture>): void {
  const it = suite<{ fx: AccountStoreFixture }>(`AccountStore contract: ${name}`, {
    fx: undefined as unknown as AccountStoreFixture,
  });
  it.before.each(async (context) => {
    context.fx = await setup();
  });
  it.after.each(async (context) => {
    await context.fx.teardown();
  });

  it('ensureAccount creates once per email and the account survives reopening', async ({ fx }) => {
    const ana = await fx.store.ensureAccount('ana@example.com', 10);
    const again = await fx.store.ensureAccount('ana@example.com', 20);
    assert.is(again.id, ana.id);
    assert.is(again.createdAt, 10);
    const reopened = await fx.reopen();
    assert.equal(await reopened.findAccountByEmail('ana@example.com'), ana);
    assert.equal(await reopened.getAccount(ana.id), ana);
    assert.is(await reopened.findAccountByEmail('nobody@example.com'), null);
  });

  it('one live PIN per address: a new one replaces the old, failures count up, delete removes it', async ({ fx }) => {
    await fx.store.putPin({ email: 'a@x.io', pinHash: 'h1', createdAt: 1, expiresAt: 100, failures: 0 });
    await fx.store.putPin({ email: 'a@x.io', pinHash: 'h2', createdAt: 2, expiresAt: 200, failures: 0 });
    assert.is((await fx.store.getPin('a@x.io'))?.pinHash, 'h2');
    assert.is(await fx.store.addPinFailure('a@x.io'), 1);
    assert.is(await fx.store.addPinFailure('a@x.io'), 2);
    assert.is((await fx.store.getPin('a@x.io'))?.failures, 2);
    assert.is(await fx.store.deletePin('a@x.io', 'h1'), false, 'a replaced PIN cannot be used up');
    assert.is(await fx.store.deletePin('a@x.io', 'h2'), true);
    assert.is(await fx.store.deletePin('a@x.io', 'h2'), false, 'used once only');
    assert.is(await fx.store.getPin('a@x.io'), null);
    assert.is(await fx.store.addPinFailure('a@x.io'), 0, 'no PIN, nothing to count');
  });

  it('PIN sends are counted per address and per IP since a time, and pruned', async ({ fx }) => {
    await fx.store.recordPinSend('a@x.io', '10.0.0.1', 100);
    await fx.store.recordPinSend('a@x.io', '10.0.0.2', 200);
    await fx.store.recordPinSend('b@x.io', '10.0.0.1', 300);
    assert.is(await fx.store.countPinSends({ email: 'a@x.io' }, 0), 2);
    assert.is(await fx.store.countPinSends({ email: 'a@x.io' }, 150), 1);
    assert.is(await fx.store.countPinSends({ ip: '10.0.0.1' }, 0), 2);
    await fx.store.prunePins(250);
    assert.is(await fx.store.countPinSends({ email: 'a@x.io' }, 0), 0);
    assert.is(await fx.store.countPinSends({ ip: '10.0.0.1' }, 0), 1);
  });

  it('sessions are found by secret hash only, listed per account, deleted one or all', async ({ fx }) => {
    const ana = await fx.store.ensureAccount('ana@x.io', 1);
    const session = (id: string) => ({
      id,
      secretHash: `hash-${id}`,
      accountId: ana.id,
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 7 * 24 * HOUR,
      userAgent: 'UA',
      ip: '::1',
    });
    await fx.store.createSession(session('s1'));
    await fx.store.createSession(session('s2'));
    assert.is((await fx.store.findSessionBySecret('hash-s1'))?.id, 's1');
    assert.is(await fx.store.findSessionBySecret('s1'), null, 'the public id is not a credential');
    await fx.store.touchSession('s1', 50);
    assert.is((await fx.store.findSessionBySecret('hash-s1'))?.lastSeenAt, 50);
    assert.equal(
      (await fx.store.listSessions(ana.id)).map((s) => s.id),
      ['s1', 's2'],
    );
    assert.is(await fx.store.deleteSession('someone-else', 's1'), false, 'only the owner signs a device out');
    assert.is(await fx.store.deleteSession(ana.id, 's1'), true);
    assert.is(await fx.store.findSessionBySecret('hash-s1'), null);
    await fx.store.deleteAllSessions(ana.id);
    assert.equal(await fx.store.listSessions(ana.id), []);
  });

  it('expired sessions are pruned', async ({ fx }) => {
    await fx.store.createSession({
      id: 'old',
      secretHash: 'h-old',
      accountId: 'a',
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 10,
      userAgent: '',
      ip: '',
    });
    await fx.store.createSession({
      id: 'new',
      secretHash: 'h-new',
      accountId: 'a',
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 1000,
      userAgent: '',
      ip: '',
    });
    await fx.store.pruneSessions(100);
    assert.equal(
      (await fx.store.listSessions('a')).map((s) => s.id),
      ['new'],
    );
  });

  it('API tokens are found by secret hash, touched, listed and revoked by their owner only', async ({ fx }) => {
    await fx.store.createToken({
      id: 't1',
      accountId: 'a',
      name: 'laptop CLI',
      secretHash: 'th',
      createdAt: 5,
      lastUsedAt: null,
    });
    assert.is((await fx.store.findTokenBySecret('th'))?.name, 'laptop CLI');
    await fx.store.touchToken('t1', 9);
    assert.is((await fx.store.listTokens('a'))[0]?.lastUsedAt, 9);
    assert.is(await fx.store.deleteToken('b', 't1'), false);
    assert.is(await fx.store.deleteToken('a', 't1'), true);
    assert.is(await fx.store.findTokenBySecret('th'), null);
  });

  it('a friend request is one row whichever side asks; accept and delete work on it', async ({ fx }) => {
    const ana = await fx.store.ensureAccount('ana@x.io', 1);
    const ben = await fx.store.ensureAccount('ben@x.io', 1);
    const request = await fx.store.requestFriend({
      id: 'f1',
      requesterId: ana.id,
      requesterEmail: ana.email,
      addresseeEmail: ben.email,
      createdAt: 3,
    });
    assert.is(request.status, 'pending');
    const mirrored = await fx.store.requestFriend({
      id: 'f2',
      requesterId: ben.id,
      requesterEmail: ben.email,
      addresseeEmail: ana.email,
      createdAt: 4,
    });
    assert.is(mirrored.id, 'f1', 'asking back finds the pending request');
    assert.equal(
      (await fx.store.listFriendships(ben.id, ben.email)).map((f) => f.id),
      ['f1'],
    );
    await fx.store.acceptFriendship('f1', 8);
    const accepted = await fx.store.getFriendship('f1');
    assert.is(accepted?.status, 'accepted');
    assert.is(accepted?.acceptedAt, 8);
    await fx.store.deleteFriendship('f1');
    assert.equal(await fx.store.listFriendships(ana.id, ana.email), []);
  });

  it('the first claim of a document wins; the owner updates metadata; access follows ownership', async ({ fx }) => {
    assert.is(await fx.store.claimDocument('ana', meta('d1')), 'claimed');
    assert.is(await fx.store.claimDocument('ana', { ...meta('d1'), name: 'Renamed', updatedAt: 2000 }), 'updated');
    assert.is(await fx.store.claimDocument('ben', meta('d1')), 'owned-by-another');
    const doc = await fx.store.getDocument('d1');
    assert.is(doc?.name, 'Renamed');
    assert.equal(doc?.tags, ['live', 'stage A']);
    assert.is(doc?.ownerId, 'ana');
    assert.equal(await fx.store.documentAccess('d1', 'ana'), { kind: 'owner' });
    assert.equal(await fx.store.documentAccess('d1', 'ben'), { kind: 'none' });
    assert.equal(await fx.store.documentAccess('d1', null), { kind: 'none' });
    assert.equal(await fx.store.documentAccess('nobody-owns-me', null), { kind: 'unowned' });
  });

  it('a share gives read access until removed; Trash hides it from the recipient but not from the owner', async ({
    fx,
  }) => {
    const ana = await fx.store.ensureAccount('ana@x.io', 1);
    const ben = await fx.store.ensureAccount('ben@x.io', 1);
    await fx.store.claimDocument(ana.id, meta('d1', 'Show'));
    await fx.store.addShare({ docId: 'd1', accountId: ben.id, createdAt: 5 });
    await fx.store.addShare({ docId: 'd1', accountId: ben.id, createdAt: 6 });
    assert.equal(await fx.store.listShares('d1'), [
      { docId: 'd1', accountId: ben.id, email: 'ben@x.io', createdAt: 5 },
    ]);
    assert.equal(await fx.store.documentAccess('d1', ben.id), { kind: 'shared' });
    const shared = await fx.store.listSharedWith(ben.id);
    assert.equal(
      shared.map((d) => [d.name, d.ownerEmail, d.sharedAt]),
      [['Show', 'ana@x.io', 5]],
    );
    await fx.store.setDocumentDeleted('d1', 10);
    assert.equal(await fx.store.documentAccess('d1', ben.id), { kind: 'none' });
    assert.equal(await fx.store.documentAccess('d1', ana.id), { kind: 'owner' });
    assert.equal(await fx.store.listSharedWith(ben.id), []);
    assert.equal(
      (await fx.store.listDocuments(ana.id, true)).map((d) => d.id),
      ['d1'],
    );
    assert.equal(await fx.store.listDocuments(ana.id, false), []);
    await fx.store.setDocumentDeleted('d1', null);
    assert.equal(await fx.store.documentAccess('d1', ben.id), { kind: 'shared' });
    assert.is(await fx.store.removeShare('d1', ben.id), true);
    assert.is(await fx.store.removeShare('d1', ben.id), false);
    assert.equal(await fx.store.documentAccess('d1', ben.id), { kind: 'none' });
  });

  it('purging keeps the id reserved: nobody, not even the owner, reaches or reclaims it', async ({ fx }) => {
    await fx.store.claimDocument('ana', meta('d1', 'Secret name'));
    await fx.store.addShare({ docId: 'd1', accountId: 'ben', createdAt: 1 });
    await fx.store.setDocumentDeleted('d1', 100);
    assert.equal(
      (await fx.store.documentsDueForPurge(100)).map((d) => d.id),
      ['d1'],
    );
    assert.equal(await fx.store.documentsDueForPurge(99), []);
    await fx.store.markDocumentPurged('d1', 200);
    assert.equal(await fx.store.documentAccess('d1', 'ana'), { kind: 'none' });
    assert.is(await fx.store.claimDocument('ana', meta('d1')), 'owned-by-another');
    assert.is(await fx.store.claimDocument('eve', meta('d1')), 'owned-by-another');
    assert.is((await fx.store.getDocument('d1'))?.name, '', 'the metadata is gone');
    assert.equal(await fx.store.listShares('d1'), []);
    assert.equal(await fx.store.documentsDueForPurge(1000), []);
  });

  it('removeSharesBetween removes shares both ways and nothing else', async ({ fx }) => {
    const ana = await fx.store.ensureAccount('ana@x.io', 1);
    const ben = await fx.store.ensureAccount('ben@x.io', 1);
    const cy = await fx.store.ensureAccount('cy@x.io', 1);
    await fx.store.claimDocument(ana.id, meta('a1'));
    await fx.store.claimDocument(ben.id, meta('b1'));
    await fx.store.addShare({ docId: 'a1', accountId: ben.id, createdAt: 1 });
    await fx.store.addShare({ docId: 'a1', accountId: cy.id, createdAt: 1 });
    await fx.store.addShare({ docId: 'b1', accountId: ana.id, createdAt: 1 });
    const removed = await fx.store.removeSharesBetween(ana.id, ben.id);
    assert.equal(removed.map((s) => `${s.docId}>${s.email}`).sort(), ['a1>ben@x.io', 'b1>ana@x.io']);
    assert.equal(
      (await fx.store.listShares('a1')).map((s) => s.email),
      ['cy@x.io'],
    );
    assert.equal(await fx.store.listShares('b1'), []);
  });

  it('the audit log lists newest first, includes pre-account entries for the address, and is pruned', async ({
    fx,
  }) => {
    const entry = { ip: '10.0.0.9', userAgent: 'UA', detail: '' };
    await fx.store.appendAudit({ ...entry, at: 1, accountId: null, email: 'ana@x.io', event: 'pin-failed' });
    const ana = await fx.store.ensureAccount('ana@x.io', 2);
    await fx.store.appendAudit({ ...entry, at: 2, accountId: ana.id, email: 'ana@x.io', event: 'sign-in' });
    await fx.store.appendAudit({ ...entry, at: 3, accountId: ana.id, email: 'ana@x.io', event: 'export' });
    await fx.store.appendAudit({ ...entry, at: 4, accountId: null, email: 'ben@x.io', event: 'pin-failed' });
    assert.equal(
      (await fx.store.listAudit(ana.id, ana.email, 10)).map((e) => e.event),
      ['export', 'sign-in', 'pin-failed'],
    );
    assert.equal(
      (await fx.store.listAudit(ana.id, ana.email, 1)).map((e) => e.event),
      ['export'],
    );
    await fx.store.pruneAudit(3);
    assert.equal(
      (await fx.store.listAudit(ana.id, ana.email, 10)).map((e) => e.event),
      ['export'],
    );
  });

  it('deleting an account removes its sessions, tokens, friendships, shares both ways and audit, and reserves its documents', async ({
    fx,
  }) => {
    const ana = await fx.store.ensureAccount('ana@x.io', 1);
    const ben = await fx.store.ensureAccount('ben@x.io', 1);
    await fx.store.createSession({
      id: 's',
      secretHash: 'sh',
      accountId: ana.id,
      createdAt: 1,
      lastSeenAt: 1,
      expiresAt: 99,
      userAgent: '',
      ip: '',
    });
    await fx.store.createToken({
      id: 't',
      accountId: ana.id,
      name: 'n',
      secretHash: 'th',
      createdAt: 1,
      lastUsedAt: null,
    });
    await fx.store.requestFriend({
      id: 'f',
      requesterId: ben.id,
      requesterEmail: ben.email,
      addresseeEmail: ana.email,
      createdAt: 1,
    });
    await fx.store.claimDocument(ana.id, meta('a1'));
    await fx.store.claimDocument(ben.id, meta('b1'));
    await fx.store.addShare({ docId: 'a1', accountId: ben.id, createdAt: 1 });
    await fx.store.addShare({ docId: 'b1', accountId: ana.id, createdAt: 1 });
    await fx.store.appendAudit({
      at: 1,
      accountId: ana.id,
      email: ana.email,
      event: 'sign-in',
      ip: '',
      userAgent: '',
      detail: '',
    });
    await fx.store.setDeletionRequested(ana.id, 50);
    assert.equal(
      (await fx.store.accountsDueForPurge(50)).map((a) => a.id),
      [ana.id],
    );
    assert.equal(await fx.store.accountsDueForPurge(49), []);
    await fx.store.deleteAccount(ana.id, 60);
    assert.is(await fx.store.getAccount(ana.id), null);
    assert.is(await fx.store.findSessionBySecret('sh'), null);
    assert.is(await fx.store.findTokenBySecret('th'), null);
    assert.equal(await fx.store.listFriendships(ben.id, ben.email), []);
    assert.equal(await fx.store.listShares('b1'), []);
    assert.equal(await fx.store.listSharedWith(ben.id), []);
    assert.equal(await fx.store.listAudit(ana.id, ana.email, 10), []);
    assert.equal(await fx.store.documentAccess('a1', ben.id), { kind: 'none' });
    assert.is(await fx.store.claimDocument(ben.id, meta('a1')), 'owned-by-another');
    assert.equal(await fx.store.documentAccess('b1', ben.id), { kind: 'owner' });
  });

  it.run();
}
