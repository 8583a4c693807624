/**
 * Start-up check of the relay's SQLite file, before SqlitePersistence opens it. Opening a file
 * that is empty or not SQLite would otherwise "work": SQLite turns a zero-byte file into a new,
 * empty database, and every document on the server silently disappears. A file that exists
 * but is empty, is not SQLite, fails `PRAGMA quick_check` or cannot be read stops the server
 * with one line naming the file and what to do; the file is never written to.
 * A missing file is fine: that is a first start, and SqlitePersistence creates it.
 */
import Database from 'better-sqlite3';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

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
export function checkSqliteFile(file: string): void {
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
    const rows = db.pragma('quick_check') as { quick_check: string }[];
    const findings = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
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
