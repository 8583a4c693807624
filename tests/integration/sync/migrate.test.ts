/**
 * `mixdesk migrate --from sqlite:DATA --to postgres://...` on a real embedded deployment (the
 * real server wrote its SQLite files: an account signed in by PIN, a document it owns, an
 * anonymous one) and a real PostgreSQL: copied and verified, re-run safely (nothing twice,
 * "already present"), an edit made later merged by a third run, and a server started on the
 * PostgreSQL URL serving the same documents to the same session cookie. Refusals: not SQLite,
 * not Mixdesk's, PostgreSQL unreachable.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { SqlitePersistence } from '../../../sync-server/relay/index.ts';
import { SqliteAccountStore } from '../../../sync-server/accounts/index.ts';
import { PostgresAccountStore } from '../../../sync-server/accounts/postgres-account-store.ts';
import { openPgPool } from '../../../sync-server/postgres/pg-pool.ts';
import { migrateSqliteToPostgres, type MigrationReport } from '../../../sync-server/postgres/migrate-from-sqlite.ts';
import { api, connectAs, signIn, startAccountServer } from '../../support/account-harness.ts';
import { cliArgs } from '../../support/cli.ts';
import { startPostgres } from '../../support/postgres-server.ts';
import {
  connectClient,
  destroyClients,
  tempDataDir,
  waitFor,
  waitSynced,
  type TestClient,
} from '../../support/relay-harness.ts';

const postgres = await startPostgres();

function runCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, cliArgs(...args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

const meta = (name: string) => ({ name, kind: 'layout', tags: ['show'], notes: '', roomProfile: '', updatedAt: 1 });

async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of ['doc_updates', 'accounts', 'sessions', 'documents', 'audit', 'pin_sends']) {
      counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

if (postgres) {
  test('migrate copies documents and accounts, verifies them, re-runs safely, and a PostgreSQL server serves them to the same cookie', async () => {
    const dataDir = tempDataDir();
    const url = await postgres.freshSchemaUrl();
    const clients: TestClient[] = [];
    try {
      // An embedded deployment, written by the real server.
      const embedded = await startAccountServer({ relay: { dataDir } });
      let cookie: string;
      let pendingPin = '';
      try {
        cookie = await signIn(embedded, 'ana@example.com');
        const attached = await api(
          embedded.base,
          'POST',
          '/api/documents',
          { documents: [{ id: 'show-layout', ...meta('Show layout') }] },
          { cookie },
        );
        assert.equal(attached.body.attached, ['show-layout']);
        const laptop = connectAs(embedded, 'show-layout', { cookie });
        const open = connectClient(embedded.relay.syncBase, 'open-notes');
        clients.push(laptop, open);
        await Promise.all([waitSynced(laptop), waitSynced(open)]);
        laptop.doc.getArray<string>('strips').insert(0, ['Kick', 'Snare', 'Bass', 'Vox']);
        laptop.doc.getArray<string>('strips').delete(1, 1); // a deleted range to carry over
        open.doc.getText('notes').insert(0, 'Bring the S6 layout');
        // Seen by another connection: the relay stored them (it broadcasts only after that).
        const phone = connectAs(embedded, 'show-layout', { cookie });
        const reader = connectClient(embedded.relay.syncBase, 'open-notes');
        clients.push(phone, reader);
        await waitFor(
          'the edits at the other clients',
          () => phone.doc.getArray('strips').length === 3 && reader.doc.getText('notes').length > 0,
        );
        destroyClients(clients.splice(0));
        // A sign-in under way at the move: the PIN is mailed by the embedded server.
        const asked = await api(embedded.base, 'POST', '/api/auth/pin', { email: 'ben@example.com' });
        assert.is(asked.status, 202);
        pendingPin = await embedded.mailbox.nextPin('ben@example.com');
      } finally {
        await embedded.close();
      }

      const first = await runCli('migrate', '--from', `sqlite:${dataDir}`, '--to', url);
      assert.is(first.code, 0, first.stderr + first.stdout);
      assert.match(first.stdout, /To PostgreSQL at 127\.0\.0\.1:\d+\/postgres/);
      assert.match(first.stdout, /Done: 2 documents in PostgreSQL and verified \(0 already present\)/);
      assert.match(first.stdout, /accounts\s+1\s+1\s+0\s+0/);
      assert.match(first.stdout, /Server secret: copied\./);
      const afterFirst = await rowCounts(url);

      const second = await runCli('migrate', '--from', `sqlite:${dataDir}`, '--to', url, '--json');
      assert.is(second.code, 0, second.stderr);
      const report = JSON.parse(second.stdout) as MigrationReport;
      assert.is(report.ok, true);
      assert.is(report.secret, 'kept the one in PostgreSQL', 'the secret is not replaced on a re-run');
      assert.is(report.documents.total, 2);
      assert.is(report.documents.alreadyPresent, 2, 'documents: already present');
      assert.is(report.documents.copied + report.documents.merged, 0);
      assert.is(report.documents.identical, 2, 'verified identical');
      for (const table of report.accounts) {
        assert.is(table.copied, 0, `${table.table}: nothing copied twice`);
        assert.is(table.alreadyPresent, table.inSource, `${table.table}: already present`);
      }
      const sessions = report.accounts.find((t) => t.table === 'sessions');
      assert.ok(sessions && sessions.inSource >= 1, 'the session was in the source');
      assert.equal(await rowCounts(url), afterFirst, 'no duplicate rows');

      // An edit made on the embedded server after the first run is merged by the next one.
      const store = new SqlitePersistence({ file: join(dataDir, 'relay.sqlite') });
      const later = new Y.Doc();
      for (const update of await store.load('open-notes')) Y.applyUpdate(later, update);
      const before = Y.encodeStateVector(later);
      later.getText('notes').insert(later.getText('notes').length, ' and the plug-in map');
      await store.appendUpdate('open-notes', Y.encodeStateAsUpdate(later, before));
      await store.close();
      const third = await migrateSqliteToPostgres(dataDir, url);
      assert.is(third.documents.merged, 1);
      assert.is(third.documents.alreadyPresent, 1);
      assert.is(third.documents.identical, 2);

      // A server on PostgreSQL, with an empty data folder of its own: same cookie, same documents.
      const scaled = await startAccountServer({ relay: { databaseUrl: url } });
      try {
        const me = await api(scaled.base, 'GET', '/api/me', undefined, { cookie: cookie! });
        assert.is(me.status, 200, 'the session cookie still works');
        assert.is(me.body.email ?? me.body.account?.email, 'ana@example.com');
        // The embedded server's secret came along: the PIN it mailed verifies here.
        const verified = await api(scaled.base, 'POST', '/api/auth/verify', {
          email: 'ben@example.com',
          pin: pendingPin,
        });
        assert.is(verified.status, 200, `the PIN mailed before the move: ${JSON.stringify(verified.body)}`);
        const library = await api(scaled.base, 'GET', '/api/documents', undefined, { cookie: cookie! });
        assert.equal(
          library.body.documents.map((d: { id: string; name: string }) => [d.id, d.name]),
          [['show-layout', 'Show layout']],
        );
        const laptop = connectAs(scaled, 'show-layout', { cookie: cookie! });
        const open = connectClient(scaled.relay.syncBase, 'open-notes');
        clients.push(laptop, open);
        await Promise.all([waitSynced(laptop), waitSynced(open)]);
        assert.equal(laptop.doc.getArray('strips').toArray(), ['Kick', 'Bass', 'Vox']);
        assert.is(open.doc.getText('notes').toString(), 'Bring the S6 layout and the plug-in map');
      } finally {
        destroyClients(clients.splice(0));
        await scaled.close();
      }
    } finally {
      destroyClients(clients);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('migrate refuses a file that is not SQLite, an SQLite file that is not Mixdesk, and an unreachable PostgreSQL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixdesk-migrate-'));
    try {
      const url = await postgres.freshSchemaUrl();
      writeFileSync(join(dir, 'notes.txt'), 'not a database at all, just some text that is long enough');
      const refusal = (from: string, to = url) =>
        migrateSqliteToPostgres(from, to).then(
          () => 'migrated',
          (error: Error) => error.message,
        );
      assert.match(await refusal(join(dir, 'notes.txt')), /is not an SQLite database/);
      const other = new Database(join(dir, 'other.sqlite'));
      other.exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
      other.close();
      assert.match(
        await refusal(join(dir, 'other.sqlite')),
        /other\.sqlite is not a Mixdesk relay database \(it has no doc_updates table\)/,
      );
      assert.match(await refusal(join(dir, 'missing')), /there is no relay database at .*missing/);

      // An empty deployment (first start, nothing written) and a PostgreSQL nobody listens on.
      const empty = new SqlitePersistence({ file: join(dir, 'relay.sqlite') });
      await empty.close();
      const unreachable = await runCli(
        'migrate',
        '--from',
        `sqlite:${dir}`,
        '--to',
        `postgres://user:hunter2@127.0.0.1:${postgres.port === 1 ? 2 : 1}/mixdesk`,
      );
      assert.is(unreachable.code, 1);
      assert.match(unreachable.stderr, /mixdesk migrate: cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/mixdesk/);
      assert.not.match(unreachable.stderr + unreachable.stdout, /hunter2/, 'never prints the password');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an account whose address PostgreSQL already has under another id is a conflict, reported and not overwritten', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mixdesk-migrate-'));
    const url = await postgres.freshSchemaUrl();
    const pool = openPgPool(url, { max: 1 });
    try {
      await new SqlitePersistence({ file: join(dir, 'relay.sqlite') }).close();
      const embedded = new SqliteAccountStore(join(dir, 'accounts.sqlite'), () => 'embedded-id');
      await embedded.ensureAccount('ana@example.com', 1);
      await embedded.close();
      await (await PostgresAccountStore.open(pool, () => 'postgres-id')).ensureAccount('ana@example.com', 2);
      const report = await migrateSqliteToPostgres(dir, url);
      assert.is(report.ok, false);
      assert.equal(report.accounts.find((t) => t.table === 'accounts')?.conflicts, ['embedded-id']);
      const kept = await pool.query<{ id: string }>('SELECT id FROM accounts');
      assert.equal(kept.rows, [{ id: 'postgres-id' }], 'PostgreSQL keeps its own row');
    } finally {
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.after(() => postgres.stop());
  test.run();
}
