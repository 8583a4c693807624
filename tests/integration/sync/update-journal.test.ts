/**
 * The update journal in front of the SQLite store (sync-server/relay/update-journal.ts): an
 * update is durable once journaled, and whatever the database lacks of the journal is taken
 * in exactly once: at the next start after a kill, into a backup, and by `mixdesk migrate`.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, rmSync } from 'node:fs';
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
