/**
 * SqliteSource: an embedded deployment's files opened for `mixdesk migrate`, read-only: the
 * relay's `relay.sqlite` (documents' update logs) and, beside it, `accounts.sqlite`.
 *
 * It refuses, with one line naming the file, anything that is not a Mixdesk database: not
 * SQLite, damaged (the relay's own start-up check), or lacking the tables and columns the
 * migration reads. Reads are paged so memory stays bounded by one document (or one page of
 * account rows), whatever the deployment's size. Updates still only in the relay's update
 * journal (a relay that was killed, or one running now: update-journal.ts) are read too, so
 * nothing the relay acknowledged is left behind; the journal is bounded by its rotation size.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkSqliteFile } from '../relay/sqlite-file-check.ts';
import { readJournal, readJournalMark } from '../relay/update-journal.ts';
import { ACCOUNT_TABLES } from './account-tables.ts';

export interface SqliteSource {
  relayFile: string;
  /** Null when the deployment never had accounts (no accounts.sqlite). */
  accountsFile: string | null;
  /** Document ids in order, `pageSize` at a time. */
  documentIds(pageSize?: number): Generator<string>;
  /** The stored updates of one document, in log order. */
  documentUpdates(docId: string): Uint8Array[];
  /** Rows of an account table in insertion order, `pageSize` at a time. */
  accountRows(table: string, pageSize?: number): Generator<Record<string, unknown>[]>;
  close(): void;
}

/** `path` is a data folder (MIXDESK_DATA) or its relay.sqlite. Throws a one-line Error when it is not a Mixdesk deployment. */
export function openSqliteSource(path: string): SqliteSource {
  const isFolder = existsSync(path) && statSync(path).isDirectory();
  const relayFile = isFolder ? join(path, 'relay.sqlite') : path;
  if (!existsSync(relayFile)) {
    throw new Error(
      `there is no relay database at ${relayFile} (give the data folder, MIXDESK_DATA, or its relay.sqlite)`,
    );
  }
  checkSqliteFile(relayFile);
  const relay = openReadOnly(relayFile);
  let accounts: Database.Database | null = null;
  try {
    requireColumns(relay, relayFile, 'doc_updates', ['seq', 'doc_id', 'data'], 'a Mixdesk relay database');
    const accountsPath = join(dirname(relayFile), 'accounts.sqlite');
    if (existsSync(accountsPath)) {
      checkSqliteFile(accountsPath);
      accounts = openReadOnly(accountsPath);
      for (const table of ACCOUNT_TABLES) {
        requireColumns(
          accounts,
          accountsPath,
          table.name,
          table.columns.map((c) => c.name),
          'a Mixdesk accounts database',
        );
      }
    }
  } catch (error) {
    relay.close();
    accounts?.close();
    throw error;
  }
  const accountsDb = accounts;
  const journaled = new Map<string, Uint8Array[]>();
  for (const generation of readJournal(relayFile, readJournalMark(relay))) {
    for (const { docId, update } of generation.records) {
      const updates = journaled.get(docId) ?? [];
      updates.push(update);
      journaled.set(docId, updates);
    }
  }
  return {
    relayFile,
    accountsFile: accountsDb ? join(dirname(relayFile), 'accounts.sqlite') : null,
    *documentIds(pageSize = 500) {
      const page = relay.prepare<[string, number], { doc_id: string }>(
        'SELECT DISTINCT doc_id FROM doc_updates WHERE doc_id > ? ORDER BY doc_id LIMIT ?',
      );
      const stored = relay.prepare<[string], unknown>('SELECT 1 FROM doc_updates WHERE doc_id = ? LIMIT 1');
      let after = '';
      for (;;) {
        const ids = page.all(after, pageSize).map((row) => row.doc_id);
        yield* ids;
        if (ids.length < pageSize) break;
        after = ids[ids.length - 1]!;
      }
      // Documents whose every update is still in the journal.
      yield* [...journaled.keys()].filter((docId) => !stored.get(docId)).sort();
    },
    documentUpdates(docId) {
      return relay
        .prepare<[string], { data: Buffer }>('SELECT data FROM doc_updates WHERE doc_id = ? ORDER BY seq')
        .all(docId)
        .map((row) => new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength))
        .concat(journaled.get(docId) ?? []);
    },
    *accountRows(table, pageSize = 500) {
      if (!accountsDb) return;
      const spec = ACCOUNT_TABLES.find((t) => t.name === table);
      if (!spec) throw new Error(`not an account table: ${table}`);
      // Names from ACCOUNT_TABLES only (constants), never from input.
      const columns = spec.columns.map((c) => c.name).join(', ');
      const page = accountsDb.prepare<[number, number], Record<string, unknown> & { _rowid: number }>(
        `SELECT rowid AS _rowid, ${columns} FROM ${spec.name} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
      );
      let after = 0;
      for (;;) {
        const rows = page.all(after, pageSize);
        if (rows.length > 0) yield rows.map(({ _rowid, ...row }) => row);
        if (rows.length < pageSize) return;
        after = rows[rows.length - 1]!._rowid;
      }
    },
    close() {
      relay.close();
      accountsDb?.close();
    },
  };
}

function openReadOnly(file: string): Database.Database {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function requireColumns(db: Database.Database, file: string, table: string, columns: string[], what: string): void {
  const present = new Set(
    (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((row) => row.name),
  );
  if (present.size === 0) throw new Error(`${file} is not ${what} (it has no ${table} table)`);
  const missing = columns.filter((column) => !present.has(column));
  if (missing.length > 0) {
    throw new Error(`${file} is not ${what} (its ${table} table lacks ${missing.join(', ')})`);
  }
}
