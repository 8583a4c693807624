/**
 * PostgresPersistence against a real PostgreSQL (tests/support/postgres-server.ts): the
 * DocPersistence contract, compaction racing appends from another pool (another process), the
 * migrations, and the real server selecting PostgreSQL by MIXDESK_DATABASE_URL and keeping a
 * document across a restart of its process.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { openPgPool } from '../../../sync-server/postgres/pg-pool.ts';
import { migratePostgres, MIGRATIONS } from '../../../sync-server/postgres/migrations.ts';
import { PostgresPersistence } from '../../../sync-server/relay/postgres-persistence.ts';
import { startPostgres } from '../../support/postgres-server.ts';
import {
  connectClient,
  destroyClients,
  startTestRelay,
  tempDataDir,
  waitFor,
  waitSynced,
  type TestClient,
  type TestRelay,
} from '../../support/relay-harness.ts';
import { appendItem, docFrom, runPersistenceTests } from '../../support/relay-persistence-suite.ts';
import { killRelay, spawnRelay } from '../../support/relay-process.ts';

const server = await startPostgres();

if (server) {
  // One migrated schema for the contract suite, emptied before each case (cheaper than a schema each).
  const contractUrl = await server.freshSchemaUrl();
  runPersistenceTests('PostgresPersistence', async () => {
    const pool = openPgPool(contractUrl, { max: 4 });
    await migratePostgres(pool);
    await pool.query('DELETE FROM doc_updates'); // a few rows; TRUNCATE would cost fsyncs
    const fixture = {
      persistence: await PostgresPersistence.open({ pool }),
      async reopen() {
        await fixture.persistence.close();
        fixture.persistence = await PostgresPersistence.open({ pool });
        return fixture.persistence;
      },
      async teardown() {
        await fixture.persistence.close();
        await pool.end();
      },
    };
    return fixture;
  });

  test('appends through another pool during compaction are kept (two processes on one database)', async () => {
    const url = await server.freshSchemaUrl();
    const firstPool = openPgPool(url, { max: 2 });
    const secondPool = openPgPool(url, { max: 2 });
    const first = await PostgresPersistence.open({ pool: firstPool });
    const second = await PostgresPersistence.open({ pool: secondPool });
    try {
      const source = new Y.Doc();
      for (let i = 0; i < 40; i++) await first.appendUpdate('shared', appendItem(source, `a${i}`));
      // Concurrent, not awaited one by one: their INSERTs interleave with the compaction's transaction.
      const appends = Array.from({ length: 20 }, (_, i) => second.appendUpdate('shared', appendItem(source, `b${i}`)));
      await Promise.all([first.compact('shared'), second.compact('shared'), ...appends]);
      assert.is(docFrom(await first.load('shared')).getArray('items').length, 60);
      await first.compact('shared');
      assert.is((await first.logSize('shared')).updates, 1);
      assert.is(docFrom(await second.load('shared')).getArray('items').length, 60);
    } finally {
      await first.close();
      await second.close();
      await firstPool.end();
      await secondPool.end();
    }
  });

  test('the log is compacted by itself once this process has appended past the threshold', async () => {
    const pool = openPgPool(await server.freshSchemaUrl(), { max: 2 });
    const persistence = await PostgresPersistence.open({ pool, compactAfter: { updates: 10, bytes: 1e9 } });
    try {
      const source = new Y.Doc();
      for (let i = 0; i < 25; i++) await persistence.appendUpdate('auto', appendItem(source, `u${i}`));
      let rows = 25;
      for (let wait = 0; wait < 100 && rows > 10; wait++) {
        await new Promise((next) => setTimeout(next, 20));
        rows = (await persistence.logSize('auto')).updates;
      }
      assert.ok(rows <= 10, `log still has ${rows} rows two seconds after passing the threshold`);
      assert.is(docFrom(await persistence.load('auto')).getArray('items').length, 25);
    } finally {
      await persistence.close();
      await pool.end();
    }
  });

  // Regression: the merge of a compaction ran on the event loop, so compacting a long log held
  // every client, commit and fan-out read of the process for as long as the merge took.
  test('a big compaction merges on a worker thread: the event loop is never held for long meanwhile', async () => {
    const pool = openPgPool(await server.freshSchemaUrl(), { max: 2 });
    const persistence = await PostgresPersistence.open({ pool, compactAfter: { updates: 1e9, bytes: 1e12 } });
    try {
      // A long edited log (strips added, old ones removed): costly to merge, cheap to store.
      const source = new Y.Doc();
      const updates: Uint8Array[] = [];
      source.on('update', (update: Uint8Array) => updates.push(update));
      const strips = source.getArray<string>('strips');
      for (let i = 0; i < 10_000; i++) {
        strips.push([`strip ${i}`]);
        if (i % 3 === 0) strips.delete(0, 1);
      }
      await Promise.all(updates.map((update) => persistence.appendUpdate('long-show', update)));
      let longestGap = 0;
      let last = performance.now();
      const sampler = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      const started = performance.now();
      await persistence.compact('long-show');
      clearInterval(sampler);
      const took = performance.now() - started;
      // Generous for a loaded machine; a merge on the loop held it for about the whole compaction.
      assert.ok(
        longestGap < 250,
        `the loop was held ${longestGap.toFixed(0)} ms (compaction took ${took.toFixed(0)} ms)`,
      );
      assert.is((await persistence.logSize('long-show')).updates, 1);
      assert.equal(
        docFrom(await persistence.load('long-show'))
          .getArray('strips')
          .toArray(),
        strips.toArray(),
      );
    } finally {
      await persistence.close();
      await pool.end();
    }
  });

  test('migrations run twice are a no-op, and two processes migrating a fresh database at once both succeed', async () => {
    const url = await server.freshSchemaUrl();
    const pools = [openPgPool(url, { max: 1 }), openPgPool(url, { max: 1 }), openPgPool(url, { max: 1 })];
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      const all = MIGRATIONS.map((m) => m.version);
      assert.equal(
        applied.flat().sort((a, b) => a - b),
        all,
        'each migration applied exactly once among the three',
      );
      assert.equal(await migratePostgres(pools[0]!), [], 'a second run applies nothing');
      const recorded = await pools[0]!.query<{ version: number }>(
        'SELECT version FROM mixdesk_migrations ORDER BY version',
      );
      assert.equal(
        recorded.rows.map((r) => r.version),
        all,
      );
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  // The first server is a process of its own (MIXDESK_DATABASE_URL read from its environment,
  // SIGKILLed); the second runs in this process (one process start saved, ~1.5 s of test time).
  test('the server with MIXDESK_DATABASE_URL keeps a document in PostgreSQL across a SIGKILL and a restart', async () => {
    const url = await server.freshSchemaUrl();
    const dataDir = tempDataDir();
    const relay = await spawnRelay(dataDir, 0, { MIXDESK_DATABASE_URL: url, RELAY_LOG: 'silent' });
    const clients: TestClient[] = [];
    const pool = openPgPool(url, { max: 1 });
    let restarted: TestRelay | null = null;
    try {
      const writer = connectClient(`ws://127.0.0.1:${relay.port}/sync`, 'pg-doc');
      clients.push(writer);
      await waitSynced(writer);
      writer.doc.getArray<string>('strips').push(['kick', 'snare', 'vox']);
      // Stored means in PostgreSQL: read it there, not through the relay.
      const stored = new PostgresPersistence({ pool });
      let strips: string[] = [];
      for (let wait = 0; wait < 100 && strips.length < 3; wait++) {
        await new Promise((next) => setTimeout(next, 50));
        strips = docFrom(await stored.load('pg-doc'))
          .getArray<string>('strips')
          .toArray();
      }
      assert.equal(strips, ['kick', 'snare', 'vox']);
      destroyClients(clients.splice(0));
      await killRelay(relay);
      assert.not.ok(existsSync(join(dataDir, 'relay.sqlite')), 'no SQLite relay database was made');
      assert.not.ok(existsSync(join(dataDir, 'accounts.sqlite')), 'no SQLite account database was made');

      restarted = await startTestRelay({ dataDir, databaseUrl: url });
      const reader = connectClient(restarted.syncBase, 'pg-doc');
      clients.push(reader);
      await waitSynced(reader);
      await waitFor('the document back from PostgreSQL', () => reader.doc.getArray('strips').length === 3);
      assert.equal(reader.doc.getArray<string>('strips').toArray(), ['kick', 'snare', 'vox']);
    } finally {
      destroyClients(clients);
      await killRelay(relay);
      await restarted?.close();
      await pool.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test.after(() => server.stop());
}

test.run();
