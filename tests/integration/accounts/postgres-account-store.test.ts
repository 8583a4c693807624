/**
 * PostgresAccountStore against a real PostgreSQL (tests/support/postgres-server.ts): the
 * AccountStore contract, and the per-method atomicity that matters once several processes
 * share the rows (first claim wins, one friendship per pair, a PIN used once).
 */
import { randomUUID } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PostgresAccountStore } from '../../../sync-server/accounts/postgres-account-store.ts';
import { migratePostgres } from '../../../sync-server/postgres/migrations.ts';
import { checkPgReachable, openPgPool } from '../../../sync-server/postgres/pg-pool.ts';
import { runAccountStoreTests } from '../../support/account-store-suite.ts';
import { startPostgres } from '../../support/postgres-server.ts';

const server = await startPostgres();

const ACCOUNT_TABLES = [
  'accounts',
  'pins',
  'pin_sends',
  'sessions',
  'tokens',
  'friendships',
  'documents',
  'shares',
  'audit',
];

if (server) {
  // One migrated schema for the contract suite, emptied before each case (cheaper than a schema each).
  const contractUrl = await server.freshSchemaUrl();
  runAccountStoreTests('PostgresAccountStore', async () => {
    const pool = openPgPool(contractUrl, { max: 4 });
    await migratePostgres(pool);
    // DELETE, not TRUNCATE: a few rows, and TRUNCATE's new files cost an fsync each (~300 ms a case).
    await pool.query(ACCOUNT_TABLES.map((table) => `DELETE FROM ${table}`).join('; '));
    const fixture = {
      store: await PostgresAccountStore.open(pool, randomUUID),
      async reopen() {
        await fixture.store.close();
        fixture.store = await PostgresAccountStore.open(pool, randomUUID);
        return fixture.store;
      },
      async teardown() {
        await fixture.store.close();
        await pool.end();
      },
    };
    return fixture;
  });

  test('two processes racing on one database: one claim wins, one friendship per pair, one PIN use', async () => {
    const url = await server.freshSchemaUrl();
    const pools = [openPgPool(url, { max: 3 }), openPgPool(url, { max: 3 })];
    // Opened at once: both migrate the fresh schema concurrently.
    const [a, b] = await Promise.all(pools.map((pool) => PostgresAccountStore.open(pool, randomUUID)));
    try {
      const [ana, bob] = await Promise.all([a!.ensureAccount('ana@x.io', 1), b!.ensureAccount('bob@x.io', 1)]);
      const meta = (name: string) => ({
        id: 'doc-1',
        name,
        kind: 'console-config',
        tags: [],
        notes: '',
        roomProfile: '',
        updatedAt: 5,
      });
      const claims = await Promise.all([a!.claimDocument(ana!.id, meta('A')), b!.claimDocument(bob!.id, meta('B'))]);
      assert.equal([...claims].sort(), ['claimed', 'owned-by-another']);

      const requests = await Promise.all([
        a!.requestFriend({
          id: 'f-1',
          requesterId: ana!.id,
          requesterEmail: 'ana@x.io',
          addresseeEmail: 'bob@x.io',
          createdAt: 2,
        }),
        b!.requestFriend({
          id: 'f-2',
          requesterId: bob!.id,
          requesterEmail: 'bob@x.io',
          addresseeEmail: 'ana@x.io',
          createdAt: 2,
        }),
      ]);
      assert.is(requests[0].id, requests[1].id, 'both directions at once make one friendship');
      assert.is((await a!.listFriendships(ana!.id, 'ana@x.io')).length, 1);

      await a!.putPin({ email: 'ana@x.io', pinHash: 'h', createdAt: 1, expiresAt: 100, failures: 0 });
      const uses = await Promise.all([a!.deletePin('ana@x.io', 'h'), b!.deletePin('ana@x.io', 'h')]);
      assert.equal([...uses].sort(), [false, true]);
      assert.equal(await migratePostgres(pools[0]!), [], 'the schema is current after the concurrent opens');
    } finally {
      await Promise.all([a!.close(), b!.close()]);
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test('an unreachable database is reported with its host, never its password', async () => {
    const url = `postgres://mixdesk:s3cret-pw@127.0.0.1:${server.port + 1}/mixdesk`;
    const pool = openPgPool(url, { connectTimeoutMs: 2000 });
    try {
      const error = await checkPgReachable(pool, url).then(
        () => null,
        (e: unknown) => e as Error,
      );
      assert.ok(error, 'a closed port is not reachable');
      assert.match(error.message, `cannot reach PostgreSQL at 127.0.0.1:${server.port + 1}/mixdesk`);
      assert.not.match(error.message, 's3cret-pw');
    } finally {
      await pool.end();
    }
  });

  test.after(() => server.stop());
}

test.run();
