import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { SqlitePersistence, type SqlitePersistenceOptions } from '../../../sync-server/relay/index.ts';
import { tempDataDir } from '../../support/relay-harness.ts';
import { appendItem, docFrom, runPersistenceTests } from '../../support/relay-persistence-suite.ts';

// Both commit paths: NORMAL commits on the event loop, FULL on the writer thread (it fsyncs).
for (const synchronous of ['NORMAL', 'FULL'] as const) {
  runPersistenceTests(`SqlitePersistence (${synchronous})`, async () => {
    const dir = tempDataDir();
    const file = join(dir, 'relay.sqlite');
    const fixture = {
      persistence: new SqlitePersistence({ file, synchronous }),
      async reopen() {
        await fixture.persistence.close();
        fixture.persistence = new SqlitePersistence({ file, synchronous });
        return fixture.persistence;
      },
      async teardown() {
        await fixture.persistence.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return fixture;
  });
}

test('the database is in WAL mode', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'relay.sqlite');
  const persistence = new SqlitePersistence({ file });
  await persistence.appendUpdate('x', appendItem(new Y.Doc(), 'x'));
  const reader = new Database(file, { readonly: true });
  try {
    assert.is(reader.pragma('journal_mode', { simple: true }), 'wal');
  } finally {
    reader.close();
    await persistence.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Runs `body` against a fresh SqlitePersistence in a temp folder, then removes it. */
async function withStore(
  options: Partial<SqlitePersistenceOptions>,
  body: (p: SqlitePersistence) => Promise<void>,
): Promise<void> {
  const dir = tempDataDir();
  const persistence = new SqlitePersistence({ file: join(dir, 'relay.sqlite'), ...options });
  try {
    await body(persistence);
  } finally {
    await persistence.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Regression: appends were journaled at the end of the event-loop turn (setImmediate), so an
// update waited for every other socket read in that turn before it could be broadcast (under
// bench:sync: 6.9 ms median from accepting an update to broadcasting it on a loaded machine).
test('an append is journaled and resolved when its task ends, before the event loop moves on', () =>
  withStore({}, async (persistence) => {
    const order: string[] = [];
    const doc = new Y.Doc();
    // As a socket read does: an I/O callback that accepts two updates.
    await new Promise<void>((done) =>
      setImmediate(() => {
        setImmediate(() => {
          order.push('next turn');
          done();
        });
        void persistence.appendUpdate('turn-doc', appendItem(doc, 'a')).then(() => order.push('first'));
        void persistence.appendUpdate('turn-doc', appendItem(doc, 'b')).then(() => order.push('second'));
      }),
    );
    assert.equal(order, ['first', 'second', 'next turn']);
    assert.is((await persistence.load('turn-doc')).length, 2);
  }));

// The writer thread inserts a batch many rows to a statement, sorted by document: each
// document's rows must still land in the order they were accepted, whatever the batch's size.
test('a batch of interleaved updates of several documents is stored with each document in order', () =>
  withStore({}, async (persistence) => {
    const sources = ['b-doc', 'a-doc', 'c-doc'].map((docId) => ({ docId, doc: new Y.Doc() }));
    const appends: Promise<void>[] = [];
    // 3 x 45 rows in one task (one journal batch): whole statements and a remainder.
    for (let i = 0; i < 45; i++)
      for (const { docId, doc } of sources)
        appends.push(persistence.appendUpdate(docId, appendItem(doc, `${docId} ${i}`)));
    await Promise.all(appends);
    for (const { docId } of sources) {
      const rows = await persistence.load(docId);
      assert.is(rows.length, 45);
      // Applied one by one in stored order, every update finds what it builds on: nothing pending.
      const stored = new Y.Doc();
      rows.forEach((row, at) => {
        Y.applyUpdate(stored, row);
        assert.is(stored.store.pendingStructs, null, `${docId}: row ${at} came before what it builds on`);
      });
      assert.equal(
        stored.getArray('items').toArray(),
        Array.from({ length: 45 }, (_, i) => `${docId} ${i}`),
      );
    }
  }));

test('the log is compacted by itself once it passes the update count, keeping every update', () =>
  withStore({ compactAfter: { updates: 10, bytes: 1e9 } }, async (persistence) => {
    const source = new Y.Doc();
    for (let i = 0; i < 25; i++) await persistence.appendUpdate('auto', appendItem(source, `u${i}`));
    let rows = 25;
    for (let wait = 0; wait < 100 && rows > 10; wait++) {
      await new Promise((next) => setTimeout(next, 10));
      rows = (await persistence.logSize('auto')).updates;
    }
    assert.ok(rows <= 10, `log still has ${rows} rows a second after passing the threshold`);
    await persistence.compact('auto'); // Regression: returned a merge already running, which missed the latest appends
    assert.is((await persistence.logSize('auto')).updates, 1);
    assert.is(docFrom(await persistence.load('auto')).getArray('items').length, 25);
  }));

test('the log is compacted by itself once it passes the byte budget', () =>
  withStore({ compactAfter: { updates: 1e9, bytes: 2000 } }, async (persistence) => {
    const source = new Y.Doc();
    for (let i = 0; i < 40; i++) await persistence.appendUpdate('bytes', appendItem(source, 'x'.repeat(100)));
    await persistence.compact('bytes');
    assert.ok((await persistence.logSize('bytes')).updates < 40);
    assert.is(docFrom(await persistence.load('bytes')).getArray('items').length, 40);
  }));

// Regression: the byte budget counted the compacted state itself, so a document whose state
// alone passed it (a large console file) was merged again, on the event loop, after every append.
test('a compacted state larger than the byte budget is not compacted again on every append', () =>
  withStore({ compactAfter: { updates: 1e9, bytes: 2000 } }, async (persistence) => {
    const source = new Y.Doc();
    await persistence.appendUpdate('large', appendItem(source, 'x'.repeat(5000)));
    await persistence.appendUpdate('large', appendItem(source, 'y'));
    await persistence.compact('large');
    assert.is((await persistence.logSize('large')).updates, 1);
    for (let i = 0; i < 5; i++) await persistence.appendUpdate('large', appendItem(source, `small ${i}`));
    await new Promise((next) => setTimeout(next, 200)); // time for a compaction that should not start
    assert.is((await persistence.logSize('large')).updates, 6, 'five small appends after the state stay as they are');
    assert.is(docFrom(await persistence.load('large')).getArray('items').length, 7);
  }));

test('rows another connection writes to the same file during compaction are kept', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'relay.sqlite');
  const first = new SqlitePersistence({ file });
  // Another writer on the file (a tool, an older relay version): the bounded swap keeps its rows.
  const second = new Database(file);
  second.pragma('busy_timeout = 5000');
  try {
    const source = new Y.Doc();
    for (let i = 0; i < 40; i++) await first.appendUpdate('shared', appendItem(source, `a${i}`));
    const compaction = first.compact('shared');
    const insert = second.prepare('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
    for (let i = 0; i < 20; i++) {
      insert.run('shared', appendItem(source, `b${i}`));
      await new Promise((next) => setImmediate(next));
    }
    await compaction;
    assert.is(docFrom(await first.load('shared')).getArray('items').length, 60);
  } finally {
    second.close();
    await first.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a second relay on the same database is refused with one line naming it; a lock left by a dead process is taken over', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'relay.sqlite');
  const first = new SqlitePersistence({ file });
  try {
    assert.throws(() => new SqlitePersistence({ file }), /relay\.sqlite is in use by this process already/);
  } finally {
    await first.close();
  }
  // Another process that is alive holds it (the test's parent stands in for a running server).
  writeFileSync(`${file}.lock`, String(process.ppid));
  assert.throws(
    () => new SqlitePersistence({ file }),
    new RegExp(`is in use by another Mixdesk server \\(process ${process.ppid}\\); stop that one first`),
  );
  // A process that is gone (killed) left it.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(`${file}.lock`, gone.stdout);
  let next = new SqlitePersistence({ file });
  assert.is(readFileSync(`${file}.lock`, 'utf8'), String(process.pid));
  await next.close();
  // Our own process id in a lock we do not hold: a restarted container's server with the same pid.
  writeFileSync(`${file}.lock`, String(process.pid));
  next = new SqlitePersistence({ file });
  await next.close();
  assert.not.ok(existsSync(`${file}.lock`), 'a clean stop removes the lock');
  rmSync(dir, { recursive: true, force: true });
});

test.run();
