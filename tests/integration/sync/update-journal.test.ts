/**
 * The update journal in front of the SQLite store (sync-server/relay/update-journal.ts): an
 * update is durable once journaled, and whatever the database lacks of the journal is taken
 * in exactly once: at the next start after a kill, into a backup, and by `mixdesk migrate`.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as Y from 'yjs';
import { backup } from '../../../src/cli/backup.ts';
import { openSqliteSource } from '../../../sync-server/postgres/sqlite-source.ts';
import { SqlitePersistence } from '../../../sync-server/relay/index.ts';
import {
  decodeRecords,
  encodeRecords,
  journalGenerations,
  JournalWriter,
  type JournalRecord,
} from '../../../sync-server/relay/update-journal.ts';
import { tempDataDir } from '../../support/relay-harness.ts';
import { appendItem, docFrom } from '../../support/relay-persistence-suite.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function items(updates: Uint8Array[]): string[] {
  return docFrom(updates).getArray<string>('items').toArray();
}

/** `count` updates of one document, each appending `<prefix><i>`. */
function records(docId: string, prefix: string, count: number): JournalRecord[] {
  const source = new Y.Doc();
  return Array.from({ length: count }, (_, i) => ({ docId, update: appendItem(source, `${prefix}${i}`) }));
}

function rowCount(file: string, docId: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_id = ?').get(docId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A relay database that exists (as after a clean stop) with `stored` in it and no journal. */
async function databaseWith(file: string, stored: JournalRecord[]): Promise<void> {
  const persistence = new SqlitePersistence({ file });
  await Promise.all(stored.map((r) => persistence.appendUpdate(r.docId, r.update)));
  await persistence.close();
  assert.equal(journalGenerations(file), [], 'a clean stop leaves no journal');
}

/** Runs `body` with a fresh data folder and its relay.sqlite path, then removes the folder. */
async function inDataDir(body: (dir: string, file: string) => Promise<void>): Promise<void> {
  const dir = tempDataDir();
  try {
    await body(dir, join(dir, 'relay.sqlite'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('records read back as written; a write cut short or a flipped byte ends the reading there', () => {
  const written = records('doc-a', 'r', 3);
  const bytes = encodeRecords(written);
  const whole = decodeRecords(bytes, 0);
  assert.is(whole.damaged, false);
  assert.is(whole.end, bytes.length);
  assert.equal(
    whole.records.map((r) => [r.docId, Buffer.from(r.update).toString('hex')]),
    written.map((r) => [r.docId, Buffer.from(r.update).toString('hex')]),
  );
  const secondEnds = whole.records[1]!.end;
  for (let cut = secondEnds + 1; cut < bytes.length; cut++) {
    const torn = decodeRecords(bytes.subarray(0, cut), 0);
    assert.is(torn.records.length, 2, `cut at byte ${cut}`);
    assert.is(torn.end, secondEnds);
    assert.ok(torn.damaged);
  }
  const flipped = Buffer.from(bytes);
  flipped[whole.records[0]!.end + 12]! ^= 0x40; // inside the second record's payload
  const corrupt = decodeRecords(flipped, 0);
  assert.is(corrupt.records.length, 1);
  assert.ok(corrupt.damaged);
});

test('the spans between two marks hold exactly the records written between them, across rotations', () =>
  inDataDir(async (_dir, file) => {
    const writer = new JournalWriter(file, 1, 600);
    const written = records('spanned', 's', 40);
    const marks = [writer.start];
    for (let i = 0; i < written.length; i += 3) marks.push(writer.append(written.slice(i, i + 3)));
    assert.ok(journalGenerations(file).length > 2, `rotated into ${journalGenerations(file).length} generations`);
    const readBack = (from: number, to: number) =>
      writer.spans(marks[from]!, marks[to]!).flatMap((span) => {
        const bytes = readFileSync(span.file).subarray(0, span.end);
        const read = decodeRecords(bytes, span.start);
        assert.is(read.end, span.end, `${span.file} ends on a record`);
        return read.records.map((r) => Buffer.from(r.update).toString('hex'));
      });
    const hex = (list: JournalRecord[]) => list.map((r) => Buffer.from(r.update).toString('hex'));
    assert.equal(readBack(0, marks.length - 1), hex(written));
    for (const [from, to] of [
      [0, 1],
      [2, 5],
      [4, 4],
      [5, marks.length - 1],
    ] as const) {
      assert.equal(readBack(from, to), hex(written.slice(from * 3, to * 3)), `marks ${from} to ${to}`);
    }
    writer.close(true);
  }));

/**
 * Appends `count` updates of one document and returns weak references to them. A function of
 * its own, so that no frame of the caller's keeps the last one alive.
 */
async function appendForgetting(persistence: SqlitePersistence, docId: string, count: number) {
  const source = new Y.Doc();
  const sent: WeakRef<Uint8Array>[] = [];
  for (let i = 0; i < count; i++) {
    const update = appendItem(source, `m${i}`);
    sent.push(new WeakRef(update));
    await persistence.appendUpdate(docId, update);
  }
  return sent;
}

test('a journaled update is not held in memory until the database takes it in', () =>
  inDataDir(async (_dir, file) => {
    // The relay's event loop kept every journaled update until the next ingest (a quarter of a
    // second): at 2,500 updates/s that was what its young-generation collections copied and
    // promoted most, beside the reference relay's. The writer thread reads them back instead.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const persistence = new SqlitePersistence({ file });
    try {
      const sent = await appendForgetting(persistence, 'held', 50);
      await new Promise((next) => setImmediate(next)); // a WeakRef holds its target until the job ends
      collect();
      assert.is(rowCount(file, 'held'), 0, 'checked before the database took them in');
      assert.is(sent.filter((ref) => ref.deref() !== undefined).length, 0, 'updates still held');
      assert.is((await persistence.logSize('held')).updates, 50);
    } finally {
      await persistence.close();
    }
    const reopened = new SqlitePersistence({ file });
    assert.equal(
      items(await reopened.load('held')),
      Array.from({ length: 50 }, (_, i) => `m${i}`),
    );
    await reopened.close();
  }));

test('updates only in the journal (a relay killed before they reached the database) are taken in at the next start, exactly once', () =>
  inDataDir(async (_dir, file) => {
    await databaseWith(file, records('song', 'stored', 2));
    // What a relay leaves when it dies between journaling and taking in: records only in the journal.
    const journal = new JournalWriter(file, 7);
    journal.append(records('song', 'journaled', 3));
    journal.append(records('fresh', 'only-journal', 2));
    journal.close(false);

    let persistence = new SqlitePersistence({ file });
    assert.equal(items(await persistence.load('song')).sort(), [
      'journaled0',
      'journaled1',
      'journaled2',
      'stored0',
      'stored1',
    ]);
    assert.equal(items(await persistence.load('fresh')), ['only-journal0', 'only-journal1']);
    await persistence.close();
    // A second start (and a third) takes nothing in twice.
    persistence = new SqlitePersistence({ file });
    await persistence.close();
    assert.is(rowCount(file, 'song'), 5);
    assert.is(rowCount(file, 'fresh'), 2);
    assert.equal(journalGenerations(file), []);
  }));

test('a journal whose last write was cut short keeps every whole record; the rest is kept aside and reported', () =>
  inDataDir(async (_dir, file) => {
    await databaseWith(file, []);
    const journal = new JournalWriter(file, 1);
    journal.append(records('torn', 'whole', 3));
    journal.close(false);
    // A header that promises 200 bytes, followed by 5.
    appendFileSync(`${file}.updates-1`, Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 9, 9, 9, 9, 9]));
    const warnings: string[] = [];
    const persistence = new SqlitePersistence({
      file,
      onError: (error) => warnings.push(String(error)),
    });
    assert.equal(items(await persistence.load('torn')), ['whole0', 'whole1', 'whole2']);
    await persistence.close();
    assert.is(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, `${file}.updates-1 is damaged after byte`);
    assert.ok(existsSync(`${file}.updates-1.damaged`), 'the damaged tail is kept, not dropped');
  }));

test('the journal rotates by size and a generation is removed once the database has it', () =>
  inDataDir(async (_dir, file) => {
    const persistence = new SqlitePersistence({ file, journalRotateBytes: 2048 });
    const source = new Y.Doc();
    let mostGenerations = 0;
    for (let i = 0; i < 300; i++) {
      await persistence.appendUpdate('rotating', appendItem(source, `r${i}`));
      mostGenerations = Math.max(mostGenerations, journalGenerations(file).length);
    }
    assert.ok(mostGenerations > 1, `the journal rotated (${mostGenerations} generations at most)`);
    await persistence.logSize('rotating'); // waits until the database has every append
    assert.ok(journalGenerations(file).length <= 1, `${journalGenerations(file).length} generations left`);
    await persistence.close();
    assert.equal(journalGenerations(file), []);
    assert.is(rowCount(file, 'rotating'), 300);
  }));

// The contract under a real kill: a child process appends as fast as it can and reports each
// acknowledged append; SIGKILL lands while it writes.
test('SIGKILL while appending: every acknowledged update is there after the restart, none twice', () =>
  inDataDir(async (_dir, file) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'tests/support/append-until-killed.ts'), file],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let acknowledged = -1;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the child did not append: ${output}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-200);
        const last = /(\d+)\n$/.exec(output);
        if (last) acknowledged = Number(last[1]);
        if (acknowledged >= 400 && child.exitCode === null) {
          child.kill('SIGKILL');
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((done) => child.once('exit', done));
    const persistence = new SqlitePersistence({ file });
    const stored = items(await persistence.load('killed'));
    await persistence.close();
    const missing = Array.from({ length: acknowledged + 1 }, (_, i) => `k${i}`).filter((v) => !stored.includes(v));
    assert.equal(missing, [], `acknowledged but lost: ${missing.slice(0, 10).join(', ')}`);
    assert.is(rowCount(file, 'killed'), new Set(stored).size, 'no update taken in twice');
  }));

test('mixdesk backup takes in the updates still only in the journal', async () => {
  const dir = tempDataDir();
  const file = join(dir, 'relay.sqlite');
  const previous = process.env.MIXDESK_DATA;
  try {
    await databaseWith(file, records('backed', 'stored', 2));
    const journal = new JournalWriter(file, 3);
    journal.append(records('backed', 'journaled', 2));
    journal.close(false);
    process.env.MIXDESK_DATA = dir;
    const copy = join(dir, 'copy.sqlite');
    assert.is(await backup([copy]), 0);
    assert.is(rowCount(copy, 'backed'), 4);
    assert.ok(
      readdirSync(dir).every((name) => !name.startsWith('copy.sqlite.updates')),
      'the copy stands alone',
    );
    const restored = new SqlitePersistence({ file: copy });
    assert.equal(items(await restored.load('backed')).sort(), ['journaled0', 'journaled1', 'stored0', 'stored1']);
    await restored.close();
  } finally {
    if (previous === undefined) delete process.env.MIXDESK_DATA;
    else process.env.MIXDESK_DATA = previous;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mixdesk migrate reads the updates still only in the journal, and documents that have nothing else', () =>
  inDataDir(async (dir, file) => {
    await databaseWith(file, records('migrated', 'stored', 1));
    const journal = new JournalWriter(file, 2);
    journal.append([...records('migrated', 'journaled', 1), ...records('new-one', 'journaled', 1)]);
    journal.close(false);
    const source = openSqliteSource(dir);
    try {
      assert.equal([...source.documentIds()], ['migrated', 'new-one']);
      assert.equal(items(source.documentUpdates('migrated')).sort(), ['journaled0', 'stored0']);
      assert.equal(items(source.documentUpdates('new-one')), ['journaled0']);
    } finally {
      source.close();
    }
  }));

test.run();
