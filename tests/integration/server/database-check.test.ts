/**
 * The relay database at start-up, and `mixdesk backup`. A relay.sqlite that exists but is
 * empty, is not SQLite, is damaged or cannot be read stops the server with one line naming
 * the file and what to do, and is left exactly as it was. A backup taken while the server
 * writes opens and holds the documents.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { startServer } from '../../../sync-server/server.ts';
import { SqlitePersistence, silentLogger } from '../../../sync-server/relay/index.ts';
import { checkSqliteFile, DatabaseFileError } from '../../../sync-server/relay/sqlite-file-check.ts';
import { connectClient, destroyClients, startTestRelay, waitSynced } from '../../support/relay-harness.ts';

const root = mkdtempSync(join(tmpdir(), 'mixdesk-dbcheck-'));

function dataDirWith(name: string, content?: (file: string) => void): { dir: string; file: string } {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'relay.sqlite');
  content?.(file);
  return { dir, file };
}

/** A real relay database holding `docs` documents of ~`bytesEach` bytes each. */
async function realDatabase(file: string, docs: number, bytesEach: number): Promise<void> {
  const persistence = new SqlitePersistence({ file });
  for (let d = 0; d < docs; d++) {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, `doc-${d} `.padEnd(bytesEach, 'x'));
    await persistence.appendUpdate(`doc-${d}`, Y.encodeStateAsUpdate(doc));
  }
  await persistence.close();
}

/** Runs `mixdesk <args>` and returns its exit code and output. */
function cli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/mixdesk.js', ...args], {
      env: { ...process.env, ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c;
      if (stdout.includes('running on')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The server refuses to start on `file`; `viaCli` also runs `mixdesk serve` (slower: a child process). */
async function refusedAtStart(dir: string, file: string, problem: RegExp, viaCli = false): Promise<void> {
  const before = readFileSync(file);
  try {
    const running = await startServer({
      port: 0,
      dataDir: dir,
      staticDir: join(dir, 'no-static'),
      relay: { logger: silentLogger },
      httpLogger: () => {},
    });
    await running.close();
    assert.unreachable('the server should not start');
  } catch (error) {
    assert.instance(error, DatabaseFileError);
    assert.match((error as Error).message, file);
    assert.match((error as Error).message, problem);
  }
  if (viaCli) {
    const run = await cli(['serve'], { MIXDESK_DATA: dir });
    assert.is(run.code, 1, 'non-zero exit');
    const lines = run.stderr.trim().split('\n');
    assert.is(lines.length, 1, `one line, not a stack: ${run.stderr}`);
    assert.match(lines[0]!, file);
    assert.match(lines[0]!, problem);
    assert.match(lines[0]!, /restore it from a backup.*or move it away to start with an empty database/);
  }
  assert.ok(readFileSync(file).equals(before), 'the file is left exactly as it was');
}

// Regression: a zero-byte relay.sqlite silently became an empty database (all documents gone).
test('an empty relay.sqlite stops the server with one line; it is not turned into a new database', async () => {
  const { dir, file } = dataDirWith('empty', (f) => writeFileSync(f, ''));
  await refusedAtStart(dir, file, /is empty \(0 bytes\)/, true);
  assert.is(statSync(file).size, 0);
});

test('a file that is not SQLite stops the server', async () => {
  const { dir, file } = dataDirWith('garbage', (f) =>
    writeFileSync(f, 'these are not the pages you are looking for\n'.repeat(200)),
  );
  await refusedAtStart(dir, file, /is not an SQLite database/);
});

test('a truncated database stops the server', async () => {
  const { dir, file } = dataDirWith('truncated');
  await realDatabase(file, 20, 10_000);
  truncateSync(file, Math.floor(statSync(file).size / 2));
  await refusedAtStart(dir, file, /fails its integrity check|is damaged/);
});

test('a database with a damaged page stops the server', async () => {
  const { dir, file } = dataDirWith('damaged');
  await realDatabase(file, 20, 10_000);
  // Scribble over the second page (the first table or index b-tree page), keeping the header.
  const pageSize = new Database(file, { readonly: true }).pragma('page_size', { simple: true }) as number;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, pageSize);
  closeSync(fd);
  await refusedAtStart(dir, file, /fails its integrity check|is damaged/, true);
});

// A file over the full-check size (256 MB; 0 here) is not read whole at start-up (quick_check
// reads every page, seconds for a large file); the checks that cost the same at any size still
// catch a file cut short and a damaged b-tree root, and pass a sound one.
test('a database over the full-check size gets the size-independent checks', async () => {
  const sound = dataDirWith('large-sound');
  await realDatabase(sound.file, 20, 10_000);
  checkSqliteFile(sound.file, 0);

  const cut = dataDirWith('large-cut');
  await realDatabase(cut.file, 20, 10_000);
  truncateSync(cut.file, statSync(cut.file).size - 1000);
  assert.throws(() => checkSqliteFile(cut.file, 0), /not a whole number of .*pages/);

  const damaged = dataDirWith('large-damaged');
  await realDatabase(damaged.file, 20, 10_000);
  const pageSize = new Database(damaged.file, { readonly: true }).pragma('page_size', { simple: true }) as number;
  const fd = openSync(damaged.file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, pageSize);
  closeSync(fd);
  assert.throws(
    () => checkSqliteFile(damaged.file, 0),
    (error: unknown) =>
      error instanceof DatabaseFileError && /is damaged|fails its integrity check/.test(error.message),
  );
});

// Regression: an unreadable relay.sqlite stopped start-up with a raw stack trace not naming the file.
test('a relay.sqlite that cannot be read (here a folder) stops the server with one line naming it', async () => {
  const { dir, file } = dataDirWith('folder', (f) => mkdirSync(f));
  const run = await cli(['serve'], { MIXDESK_DATA: dir });
  assert.is(run.code, 1);
  assert.is(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, `${file} is not a file`);
});

test('a sound database from an earlier run starts as usual', async () => {
  const { dir, file } = dataDirWith('sound');
  await realDatabase(file, 3, 100);
  const running = await startServer({
    port: 0,
    dataDir: dir,
    staticDir: join(dir, 'no-static'),
    relay: { logger: silentLogger },
    httpLogger: () => {},
  });
  await running.close();
});

test('mixdesk backup copies the relay database while the server is writing; the copy opens and has the documents', async () => {
  const { dir } = dataDirWith('live');
  const relay = await startTestRelay({ dataDir: dir });
  const clients = Array.from({ length: 4 }, (_, i) => connectClient(relay.syncBase, `live-${i}`));
  let writing = true;
  try {
    await Promise.all(clients.map((c) => waitSynced(c)));
    clients.forEach((c, i) => c.doc.getText('t').insert(0, `document ${i} `));
    // Keep writing for the whole backup.
    const writer = (async () => {
      let n = 0;
      while (writing) {
        for (const c of clients) c.doc.getText('t').insert(c.doc.getText('t').length, `${n} `.repeat(50));
        n++;
        await new Promise((next) => setTimeout(next, 5));
      }
    })();
    await new Promise((next) => setTimeout(next, 300));
    const copy = join(root, 'live-backup.sqlite');
    const run = await cli(['backup', copy], { MIXDESK_DATA: dir });
    writing = false;
    await writer;
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /Backed up \d+ documents? .* to /);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    try {
      assert.equal(db.pragma('quick_check'), [{ quick_check: 'ok' }]);
      const ids = (
        db.prepare('SELECT DISTINCT doc_id FROM doc_updates ORDER BY doc_id').all() as { doc_id: string }[]
      ).map((r) => r.doc_id);
      assert.equal(ids, ['live-0', 'live-1', 'live-2', 'live-3']);
      const first = new Y.Doc();
      for (const row of db.prepare("SELECT data FROM doc_updates WHERE doc_id = 'live-2' ORDER BY seq").all() as {
        data: Buffer;
      }[])
        Y.applyUpdate(first, row.data);
      assert.match(first.getText('t').toString(), /^document 2 /);
    } finally {
      db.close();
    }
    const again = await cli(['backup', copy], { MIXDESK_DATA: dir });
    assert.is(again.code, 1, 'an existing backup is never overwritten');
    assert.match(again.stderr, 'already exists');
  } finally {
    writing = false;
    destroyClients(clients);
    await relay.close();
  }
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
