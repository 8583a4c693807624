/**
 * `mixdesk backup <file>`: a consistent copy of the relay database (MIXDESK_DATA/relay.sqlite,
 * as `mixdesk serve` uses), safe to take while the server runs and writes.
 *
 * SQLite's online backup API (better-sqlite3's db.backup) copies every page in one step, so
 * the copy is one read transaction's snapshot: in WAL mode that never blocks the server's
 * writers, and a write landing meanwhile cannot make the copy restart or mix two states.
 * The copy goes to a temporary name next to <file> and is checked (PRAGMA quick_check) before
 * it is renamed into place, so a failed backup never leaves a half-written <file>.
 *
 * The newest updates may still be only in the server's update journal (they reach the
 * database a quarter of a second later; update-journal.ts): the copy takes them in too. The
 * journal is read before the snapshot, so the copy is the snapshot plus every journaled update
 * past it, with no hole: a journal file the server removes after the snapshot was read already.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJournal, takeInJournal } from '../../sync-server/relay/update-journal.ts';

/** Pages per backup step: all of them at once (see above). */
const ALL_PAGES = 0x7fffffff;

export async function backup(args: string[]): Promise<number> {
  const [target, ...extra] = args;
  if (!target || extra.length > 0 || target.startsWith('-')) {
    console.error(
      'Usage: mixdesk backup <file>   (copies MIXDESK_DATA/relay.sqlite, default ./data, while the server runs)',
    );
    return 2;
  }
  const source = join(process.env.MIXDESK_DATA ?? 'data', 'relay.sqlite');
  const destination = resolve(target);
  if (!existsSync(source)) {
    console.error(
      `mixdesk backup: there is no relay database at ${source} (set MIXDESK_DATA to the server's data folder)`,
    );
    return 1;
  }
  if (existsSync(destination)) {
    console.error(`mixdesk backup: ${destination} already exists; choose a new name or move it away first`);
    return 1;
  }

  const partial = `${destination}.partial-${process.pid}`;
  let db: Database.Database | undefined;
  try {
    const journal = readJournal(source, { generation: 0, offset: 0 });
    db = new Database(source, { fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => ALL_PAGES });
    db.close();
    db = undefined;
    const copy = new Database(partial, { fileMustExist: true });
    let documents: number;
    try {
      const check = (copy.pragma('quick_check') as { quick_check: string }[]).map((row) => row.quick_check);
      if (check.length !== 1 || check[0] !== 'ok') throw new Error(`the copy fails its integrity check (${check[0]})`);
      const hasTable = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'doc_updates'").get();
      if (hasTable) takeInJournal(copy, journal);
      documents = hasTable
        ? (copy.prepare('SELECT count(DISTINCT doc_id) AS n FROM doc_updates').get() as { n: number }).n
        : 0;
      // The copy stands alone: fold its WAL (if any) into the file before it is renamed.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
    const megabytes = (statSync(destination).size / 1048576).toFixed(1);
    console.log(
      `Backed up ${documents} document${documents === 1 ? '' : 's'} (${megabytes} MB) from ${source} to ${destination}`,
    );
    return 0;
  } catch (error) {
    db?.close();
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
    console.error(`mixdesk backup: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
