/**
 * openPostgresStores: what MIXDESK_DATABASE_URL selects: one pool, checked reachable, the
 * schema migrated, and the PostgreSQL DocPersistence and AccountStore on it. A database that
 * cannot be reached fails the start-up with a message naming its host, never its password.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PostgresAccountStore } from '../accounts/postgres-account-store.ts';
import { PostgresPersistence } from '../relay/postgres-persistence.ts';
import { migratePostgres } from './migrations.ts';
import { checkPgReachable, describeDatabaseUrl, openPgPool } from './pg-pool.ts';

export interface PostgresStores {
  pool: pg.Pool;
  /** Null when the caller brought its own (nothing opened for it). */
  persistence: PostgresPersistence | null;
  accountStore: PostgresAccountStore | null;
  /** The deployment's server secret, shared by every process on this database (see loadSharedSecret). */
  secret: Buffer;
}

/**
 * The server secret from the database: the first process to start makes it (32 random bytes),
 * every later one reads the same. With a secret per process (the SQLite default keeps it in
 * MIXDESK_DATA), a PIN mailed by one process would not verify on another behind a load balancer.
 */
export async function loadSharedSecret(pool: pg.Pool): Promise<Buffer> {
  await pool.query('INSERT INTO server_secret (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
    randomBytes(32).toString('hex'),
  ]);
  const row = (await pool.query<{ secret: string }>('SELECT secret FROM server_secret WHERE id = 1')).rows[0];
  if (!row) throw new Error('server_secret has no row after inserting one');
  return Buffer.from(row.secret, 'hex');
}

export async function openPostgresStores(
  url: string,
  need: { persistence?: unknown; accounts?: false | { store?: unknown } },
): Promise<PostgresStores> {
  const pool = openPgPool(url);
  try {
    await checkPgReachable(pool, url);
    // The stores migrate too; this also covers a caller that brings both (the secret's table).
    await migratePostgres(pool);
    const persistence = need.persistence ? null : await PostgresPersistence.open({ pool });
    const wantsAccounts = need.accounts !== false && !need.accounts?.store;
    const accountStore = wantsAccounts ? await PostgresAccountStore.open(pool, randomUUID) : null;
    return { pool, persistence, accountStore, secret: await loadSharedSecret(pool) };
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof Error && error.message.startsWith('cannot reach PostgreSQL')) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL at ${describeDatabaseUrl(url)}: could not prepare the schema: ${reason}`);
  }
}
