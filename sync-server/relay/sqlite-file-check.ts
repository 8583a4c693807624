/**
 * Start-up check of the relay's SQLite file, before SqlitePersistence opens it. Opening a file
 * that is empty or not SQLite would otherwise "work": SQLite turns a zero-byte file into a new,
 * empty database, and every document on the server silently disappears. A file that exists
 * but is empty, is not SQLite, fails `PRAGMA quick_check` or cannot be read stops the server
 * with one line naming the file and what to do; the file is never written to.
 * A missing file is fine: that is a first start, and SqlitePersistence creates it.
 *
 * How deep: `quick_check` reads every page (about a second per few hundred MB, and the server
 * does not answer meanwhile), so it runs in full only up to FULL_CHECK_MAX_BYTES. A larger file
 * gets the checks that cost the same at any size: the header, a size that is whole pages, the
 * schema readable with the relay's table and index, and the first and last row of the log
 * reachable through the index (which walks the b-tree from its root). Damage elsewhere in a
 * large file shows when the document on those pages is loaded: that load fails, is logged,
 * and closes that document's connections only.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Files up to this size (WAL included) get a full `PRAGMA quick_check` at start-up. */
export const FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024;

/** What every SQLite 3 database file starts with. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A relay database the server must not start on; `message` is the one line to print. */
export class DatabaseFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `the relay database ${file} ${problem}. Nothing was changed: restore it from a backup (\`mixdesk backup\` makes one), or move it away to start with an empty database.`,
    );
    this.name = 'DatabaseFileError';
  }
}

const reasonOf = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
};

/** Throws DatabaseFileError when `file` exists but is not a sound SQLite database. */
export function checkSqliteFile(file: string, fullCheckMaxBytes = FULL_CHECK_MAX_BYTES): void {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new DatabaseFileError(file, 'is not a file');
    size = stat.size;
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new DatabaseFileError(file, `cannot be read (${reasonOf(error)})`);
  }
  if (size === 0) throw new DatabaseFileError(file, 'is empty (0 bytes)');

  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const fd = openSync(file, 'r');
    try {
      readSync(fd, header, 0, header.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new DatabaseFileError(file, `cannot be read (${reasonOf(error)})`);
  }
  if (!header.equals(SQLITE_HEADER)) throw new DatabaseFileError(file, 'is not an SQLite database');

  let problem: string | undefined;
  let db: Database.Database | undefined;
  try {
    // Read-write (not readonly) so a WAL left by a killed server is replayed as usual; the
    // check itself writes nothing.
    db = new Database(file, { fileMustExist: true });
    const findings =
      size + walSize(file) <= fullCheckMaxBytes
        ? (db.pragma('quick_check') as { quick_check: string }[])
            .map((row) => row.quick_check)
            .filter((line) => line !== 'ok')
        : largeFileFindings(db, size);
    // One finding may itself list many pages on several lines: keep the message one short line.
    const first = findings[0]?.replace(/\s+/g, ' ').slice(0, 120);
    if (findings.length > 0)
      problem = `fails its integrity check (${first}${first && first.length >= 120 ? '...' : ''})`;
  } catch (error) {
    problem = `is damaged (${reasonOf(error)})`;
  } finally {
    db?.close();
  }
  if (problem) throw new DatabaseFileError(file, problem);
}

function walSize(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/** The size-independent checks for a file too large for a full quick_check (see the header comment). */
function largeFileFindings(db: Database.Database, size: number): string[] {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  if (size % pageSize !== 0) return [`file size ${size} is not a whole number of ${pageSize}-byte pages`];
  const names = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").all() as { name: string }[]).map(
      (row) => row.name,
    ),
  );
  // A database from before the relay's first write has no table yet: nothing more to look at.
  if (!names.has('doc_updates')) return [];
  if (!names.has('doc_updates_by_doc')) return ['the index doc_updates_by_doc is missing'];
  db.prepare('SELECT doc_id, seq FROM doc_updates INDEXED BY doc_updates_by_doc ORDER BY doc_id, seq LIMIT 1').all();
  db.prepare(
    'SELECT doc_id, seq FROM doc_updates INDEXED BY doc_updates_by_doc ORDER BY doc_id DESC, seq DESC LIMIT 1',
  ).all();
  db.prepare('SELECT length(data) FROM doc_updates WHERE seq = (SELECT max(seq) FROM doc_updates)').all();
  return [];
}
