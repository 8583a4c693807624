/**
 * migrateSqliteToPostgres: what `mixdesk migrate --from sqlite:PATH --to postgres://...` does.
 * Opens the embedded deployment read-only (refusing anything that is not one), checks the
 * target answers and migrates its schema, copies the documents (verified one by one) and then
 * the account tables, and reports what it did. Safe to re-run: nothing is copied twice
 * (copy-documents.ts, account-tables.ts), so a migration stopped half-way is finished by
 * running it again.
 *
 * Not copied: `account-secret` (a file, not a table): only the PIN hashes of sign-ins in
 * progress depend on it; sessions and API tokens are plain hashes and keep working.
 */
import { copyAccountTables, type TableCopy } from './copy-account-tables.ts';
import { copyDocuments, type DocumentCopy } from './copy-documents.ts';
import { migratePostgres } from './migrations.ts';
import { checkPgReachable, describeDatabaseUrl, openPgPool } from './pg-pool.ts';
import { openSqliteSource } from './sqlite-source.ts';

export interface MigrationReport {
  source: { relayFile: string; accountsFile: string | null };
  /** Host, port and database (never the password). */
  target: string;
  documents: DocumentCopy;
  accounts: TableCopy[];
  /** Every document verified and no account row in conflict. */
  ok: boolean;
}

export async function migrateSqliteToPostgres(
  sourcePath: string,
  targetUrl: string,
  onProgress?: (documentsDone: number) => void,
): Promise<MigrationReport> {
  const source = openSqliteSource(sourcePath);
  try {
    const pool = openPgPool(targetUrl, { max: 2 });
    try {
      await checkPgReachable(pool, targetUrl);
      await migratePostgres(pool);
      const documents = await copyDocuments(source, pool, onProgress);
      const accounts = await copyAccountTables(source, pool);
      return {
        source: { relayFile: source.relayFile, accountsFile: source.accountsFile },
        target: describeDatabaseUrl(targetUrl),
        documents,
        accounts,
        ok: documents.failedCount === 0 && accounts.every((table) => table.conflicts.length === 0),
      };
    } finally {
      await pool.end();
    }
  } finally {
    source.close();
  }
}
