/**
 * migrateSqliteToPostgres: what `mixdesk migrate --from sqlite:PATH --to postgres://...` does.
 * Opens the embedded deployment read-only (refusing anything that is not one), checks the
 * target answers and migrates its schema, copies the documents (verified one by one) and then
 * the account tables, and reports what it did. Safe to re-run: nothing is copied twice
 * (copy-documents.ts, account-tables.ts), so a migration stopped half-way is finished by
 * running it again.
 *
 * The embedded server's `account-secret` (a file beside the databases; it keys the PIN hashes)
 * becomes the deployment's shared `server_secret` when PostgreSQL has none yet, so a PIN mailed
 * just before the move still verifies. One already there is kept: processes are using it.
 * Sessions and API tokens are plain hashes and do not depend on it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type pg from 'pg';
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
  /** What became of the embedded server's account-secret. */
  secret: SecretCopy;
  /** Every document verified and no account row in conflict. */
  ok: boolean;
}

export type SecretCopy = 'copied' | 'kept the one in PostgreSQL' | 'none in the source';

/** `<folder of the accounts database>/account-secret` into `server_secret`, unless it has a row. */
async function copySecret(accountsFile: string | null, pool: pg.Pool): Promise<SecretCopy> {
  const file = accountsFile ? join(dirname(accountsFile), 'account-secret') : null;
  if (!file || !existsSync(file)) return 'none in the source';
  const secret = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64,}$/i.test(secret)) return 'none in the source';
  const inserted = await pool.query(
    'INSERT INTO server_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
    [secret.toLowerCase()],
  );
  return inserted.rowCount === 1 ? 'copied' : 'kept the one in PostgreSQL';
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
      const secret = await copySecret(source.accountsFile, pool);
      return {
        source: { relayFile: source.relayFile, accountsFile: source.accountsFile },
        target: describeDatabaseUrl(targetUrl),
        documents,
        accounts,
        secret,
        ok: documents.failedCount === 0 && accounts.every((table) => table.conflicts.length === 0),
      };
    } finally {
      await pool.end();
    }
  } finally {
    source.close();
  }
}
