import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { exportXml, importXml } from '../../../src/core/xml/index.ts';
import { api, connectAs, signIn, startAccountServer } from '../../support/account-harness.ts';
import { destroyClients, waitFor, waitSynced } from '../../support/relay-harness.ts';

const DAY = 24 * 3_600_000;
const meta = (name: string, kind = 'console-config') => ({
  name,
  kind,
  tags: ['live'],
  notes: 'FOH',
  roomProfile: 'Stage A S6',
  updatedAt: 5,
});

test('friend requests: same answer for any address, accept, decline, remove; only friends can be shared with', async () => {
  const server = await startAccountServer();
  try {
    const ana = await signIn(server, 'ana@example.com');
    const toNobody = await api(server.base, 'POST', '/api/friends', { email: 'nobody@example.com' }, { cookie: ana });
    const toBen = await api(server.base, 'POST', '/api/friends', { email: 'ben@example.com' }, { cookie: ana });
    assert.is(toNobody.status, 202);
    assert.is(
      toNobody.body.message.replace('nobody', 'X'),
      toBen.body.message.replace('ben', 'X'),
      'no hint whether an account exists',
    );
    await api(server.base, 'PUT', '/api/documents/d1', meta('Show'), { cookie: ana });
    assert.is(
      (await api(server.base, 'POST', '/api/documents/d1/shares', { email: 'ben@example.com' }, { cookie: ana }))
        .status,
      403,
      'not friends yet',
    );

    const ben = await signIn(server, 'ben@example.com');
    const benView = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ben })).body;
    assert.equal(
      benView.incoming.map((r: { email: string }) => r.email),
      ['ana@example.com'],
      'the request waited for Ben to sign up',
    );
    assert.is(
      (await api(server.base, 'POST', `/api/friends/${benView.incoming[0].id}/accept`, undefined, { cookie: ana }))
        .status,
      403,
      'the asker cannot accept for Ben',
    );
    assert.is(
      (await api(server.base, 'POST', `/api/friends/${benView.incoming[0].id}/accept`, undefined, { cookie: ben }))
        .status,
      200,
    );
    const anaView = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ana })).body;
    assert.equal(
      anaView.friends.map((f: { email: string }) => f.email),
      ['ben@example.com'],
    );
    assert.equal(
      anaView.outgoing.map((r: { email: string }) => r.email),
      ['nobody@example.com'],
    );
    assert.is(
      (await api(server.base, 'POST', '/api/documents/d1/shares', { email: 'ben@example.com' }, { cookie: ana }))
        .status,
      201,
    );

    const cy = await signIn(server, 'cy@example.com');
    await api(server.base, 'POST', '/api/friends', { email: 'ana@example.com' }, { cookie: cy });
    const request = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ana })).body.incoming[0];
    assert.is(
      (await api(server.base, 'POST', `/api/friends/${request.id}/decline`, undefined, { cookie: ana })).status,
      204,
    );
    assert.equal((await api(server.base, 'GET', '/api/friends', undefined, { cookie: cy })).body.outgoing, []);
    const eve = await signIn(server, 'eve@example.com');
    assert.is(
      (await api(server.base, 'DELETE', `/api/friends/${anaView.friends[0].id}`, undefined, { cookie: eve })).status,
      404,
      'strangers cannot touch it',
    );
  } finally {
    await server.close();
  }
});

test('a new device sees the library from the server; Trash keeps a document 30 days, restorable, then purges it and its log', async () => {
  const server = await startAccountServer();
  const clients = [];
  try {
    const laptop = await signIn(server, 'ana@example.com');
    const attached = await api(
      server.base,
      'POST',
      '/api/documents',
      {
        documents: [
          { id: 'keep', ...meta('Keep') },
          { id: 'toss', ...meta('Toss') },
        ],
      },
      { cookie: laptop },
    );
    assert.equal(attached.body, { attached: ['keep', 'toss'], refused: [] });
    const writer = connectAs(server, 'toss', { cookie: laptop });
    clients.push(writer);
    await waitSynced(writer);
    writer.doc.getArray<string>('strips').push(['content']);
    await waitFor('stored', () => server.relay.logs.some((r) => r.event === 'connect' && r.docId === 'toss'));
    await new Promise((next) => setTimeout(next, 200));
    destroyClients([writer]);

    const phone = await signIn(
      server,
      'ana@example.com',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1',
    );
    const library = (await api(server.base, 'GET', '/api/documents', undefined, { cookie: phone })).body.documents;
    assert.equal(library.map((d: { name: string }) => d.name).sort(), ['Keep', 'Toss']);
    assert.equal(library[0].tags, ['live']);
    assert.is(library[0].roomProfile, 'Stage A S6');

    assert.is((await api(server.base, 'DELETE', '/api/documents/toss', undefined, { cookie: phone })).status, 200);
    const trash = (await api(server.base, 'GET', '/api/trash', undefined, { cookie: laptop })).body.documents;
    assert.equal(
      trash.map((d: { id: string }) => d.id),
      ['toss'],
    );
    assert.is(trash[0].purgeAt - trash[0].deletedAt, 30 * DAY);
    assert.equal(
      (await api(server.base, 'GET', '/api/documents', undefined, { cookie: laptop })).body.documents.map(
        (d: { id: string }) => d.id,
      ),
      ['keep'],
    );
    await api(server.base, 'POST', '/api/documents/toss/restore', undefined, { cookie: laptop });
    assert.is(
      (await api(server.base, 'GET', '/api/documents', undefined, { cookie: laptop })).body.documents.length,
      2,
      'restored',
    );
    await api(server.base, 'DELETE', '/api/documents/toss', undefined, { cookie: laptop });

    const logRows = () => {
      const db = new Database(join(server.relay.dataDir, 'relay.sqlite'), { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM doc_updates WHERE doc_id = 'toss'`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    // Its edits reach the database from the update journal within a second (sqlite-persistence.ts).
    await waitFor("the relay's database to hold the document's log", () => logRows() > 0);
    server.clock.now += 29 * DAY;
    assert.equal(await server.relay.running.accounts!.housekeeping(), { documents: 0, accounts: 0 });
    server.clock.now += 1 * DAY + 1;
    assert.equal(await server.relay.running.accounts!.housekeeping(), { documents: 1, accounts: 0 });
    const later = await signIn(server, 'ana@example.com'); // the week-long sessions ran out meanwhile
    assert.equal((await api(server.base, 'GET', '/api/trash', undefined, { cookie: later })).body.documents, []);
    assert.is(logRows(), 0, 'the update log is purged with it');
    const events = (await api(server.base, 'GET', '/api/audit', undefined, { cookie: later })).body.events.map(
      (e: { event: string }) => e.event,
    );
    for (const expected of ['sign-in', 'new-device', 'document-deleted', 'document-restored'])
      assert.ok(events.includes(expected), `${expected} in ${events}`);
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test('export gives one zip: console files byte for byte as the app exports them, reports as JSON, and a JSON of metadata, friends, shares and activity', async () => {
  const server = await startAccountServer();
  const clients = [];
  try {
    const ana = await signIn(server, 'ana@example.com');
    await signIn(server, 'ben@example.com').then(async (ben) => {
      await api(server.base, 'POST', '/api/friends', { email: 'ana@example.com' }, { cookie: ben });
    });
    const request = (await api(server.base, 'GET', '/api/friends', undefined, { cookie: ana })).body.incoming[0];
    await api(server.base, 'POST', `/api/friends/${request.id}/accept`, undefined, { cookie: ana });
    await api(server.base, 'PUT', '/api/documents/layout-doc', meta('Show layout'), { cookie: ana });
    await api(server.base, 'PUT', '/api/documents/report-doc', meta('Mix v3', 'analysis-report'), { cookie: ana });
    await api(server.base, 'POST', '/api/documents/layout-doc/shares', { email: 'ben@example.com' }, { cookie: ana });

    const source = readFileSync(new URL('../../fixtures/console/Show.layout.xml', import.meta.url));
    const local = new Y.Doc();
    importXml(local, new Uint8Array(source), 'Show.layout.xml');
    const console = connectAs(server, 'layout-doc', { cookie: ana }, { doc: local });
    const report = connectAs(server, 'report-doc', { cookie: ana });
    clients.push(console, report);
    report.doc.getMap('report').set('fileName', 'mix-v3.wav');
    report.doc.getMap('report').set('integratedLufs', -14.2);
    await Promise.all([waitSynced(console), waitSynced(report)]);
    await new Promise((next) => setTimeout(next, 300)); // let the edits reach the relay's log

    const res = await fetch(`${server.base}/api/export`, { headers: { Cookie: `__Host-mixdesk_session=${ana}` } });
    assert.is(res.status, 200);
    assert.is(res.headers.get('content-type'), 'application/zip');
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /attachment; filename="mixdesk-export-\d{4}-\d\d-\d\d\.zip"/,
    );
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.equal(Object.keys(files).sort(), [
      'documents/Mix v3.json',
      'documents/Show.layout.xml',
      'mixdesk-account.json',
    ]);
    assert.equal(files['documents/Show.layout.xml'], exportXml(local), 'the console file as the app exports it');
    assert.equal(JSON.parse(new TextDecoder().decode(files['documents/Mix v3.json'])), {
      fileName: 'mix-v3.wav',
      integratedLufs: -14.2,
    });
    const summary = JSON.parse(new TextDecoder().decode(files['mixdesk-account.json']));
    assert.is(summary.account.email, 'ana@example.com');
    assert.equal(summary.documents.map((d: { name: string }) => d.name).sort(), ['Mix v3', 'Show layout']);
    assert.equal(
      summary.documents
        .find((d: { name: string }) => d.name === 'Show layout')
        .shares.map((s: { email: string }) => s.email),
      ['ben@example.com'],
    );
    assert.equal(
      summary.friends.map((f: { email: string; status: string }) => [f.email, f.status]),
      [['ben@example.com', 'accepted']],
    );
    assert.ok(summary.securityActivity.some((e: { event: string }) => e.event === 'share'));
    const events = (await api(server.base, 'GET', '/api/audit', undefined, { cookie: ana })).body.events;
    assert.is(events[0].event, 'export', 'the export itself is recorded');
    assert.type(events[0].ip, 'string');
  } finally {
    destroyClients(clients);
    await server.close();
  }
});

test('deleting the account signs out everywhere at once, removes shares both ways, and purges after 30 days unless signing in cancels it', async () => {
  const server = await startAccountServer();
  try {
    const ana = await signIn(server, 'ana@example.com');
    const anaPhone = await signIn(server, 'ana@example.com');
    const ben = await signIn(server, 'ben@example.com');
    await api(server.base, 'POST', '/api/friends', { email: 'ben@example.com' }, { cookie: ana });
    await api(server.base, 'POST', '/api/friends', { email: 'ana@example.com' }, { cookie: ben });
    await api(server.base, 'PUT', '/api/documents/anas', meta("Ana's"), { cookie: ana });
    await api(server.base, 'PUT', '/api/documents/bens', meta("Ben's"), { cookie: ben });
    assert.is(
      (await api(server.base, 'POST', '/api/documents/anas/shares', { email: 'ben@example.com' }, { cookie: ana }))
        .status,
      201,
    );
    assert.is(
      (await api(server.base, 'POST', '/api/documents/bens/shares', { email: 'ana@example.com' }, { cookie: ben }))
        .status,
      201,
    );

    const deleted = await api(server.base, 'DELETE', '/api/me', undefined, { cookie: ana });
    assert.is(deleted.status, 202);
    assert.is(deleted.body.deletionScheduledFor, server.clock.now + 30 * DAY);
    assert.is(
      (await api(server.base, 'GET', '/api/me', undefined, { cookie: anaPhone })).status,
      401,
      'every device is signed out',
    );
    assert.equal((await api(server.base, 'GET', '/api/documents', undefined, { cookie: ben })).body.sharedWithMe, []);
    assert.equal(
      (await api(server.base, 'GET', '/api/documents/bens/shares', undefined, { cookie: ben })).body.shares,
      [],
    );

    server.clock.now += 10 * DAY;
    const back = await signIn(server, 'ana@example.com');
    const me = (await api(server.base, 'GET', '/api/me', undefined, { cookie: back })).body;
    assert.is(me.deletionScheduledFor, null, 'signing in cancelled the deletion');
    server.clock.now += 25 * DAY;
    assert.equal(await server.relay.running.accounts!.housekeeping(), { documents: 0, accounts: 0 });
    const again = await signIn(server, 'ana@example.com');
    assert.equal(
      (await api(server.base, 'GET', '/api/documents', undefined, { cookie: again })).body.documents.map(
        (d: { id: string }) => d.id,
      ),
      ['anas'],
    );

    assert.is((await api(server.base, 'DELETE', '/api/me', undefined, { cookie: again })).status, 202);
    server.clock.now += 30 * DAY + 1;
    assert.equal(await server.relay.running.accounts!.housekeeping(), { documents: 0, accounts: 1 });
    assert.is(await server.relay.running.accounts!.store.findAccountByEmail('ana@example.com'), null);
    const benAgain = await signIn(server, 'ben@example.com');
    assert.is(
      (await api(server.base, 'PUT', '/api/documents/anas', meta('Taken'), { cookie: benAgain })).status,
      409,
      'the purged id is never reused',
    );
  } finally {
    await server.close();
  }
});

test('what one account can pile up is bounded: API tokens, and a batch attach is all or nothing', async () => {
  const server = await startAccountServer();
  try {
    const ana = await signIn(server, 'ana@example.com');
    for (let i = 0; i < 50; i++)
      assert.is((await api(server.base, 'POST', '/api/tokens', { name: `t${i}` }, { cookie: ana })).status, 201);
    const over = await api(server.base, 'POST', '/api/tokens', { name: 'one more' }, { cookie: ana });
    assert.is(over.status, 409);
    assert.match(over.body.message, 'at most 50');
    const half = await api(
      server.base,
      'POST',
      '/api/documents',
      {
        documents: [
          { id: 'fine', ...meta('Fine') },
          { id: 'bad id!', ...meta('Bad') },
        ],
      },
      { cookie: ana },
    );
    assert.is(half.status, 400);
    assert.equal(
      (await api(server.base, 'GET', '/api/documents', undefined, { cookie: ana })).body.documents,
      [],
      'nothing of a refused batch is stored',
    );
    const tooMany = await api(
      server.base,
      'POST',
      '/api/documents',
      { documents: Array.from({ length: 1001 }, (_, i) => ({ id: `d${i}`, ...meta(`D${i}`) })) },
      { cookie: ana },
    );
    assert.is(tooMany.status, 400);
  } finally {
    await server.close();
  }
});

test.run();
