/**
 * openPostgresStores: what MIXDESK_DATABASE_URL selects: one pool, checked reachable, the
 * schema migrated, and the PostgreSQL DocPersistence and AccountStore on it. A database that
 * cannot be reached fails the start-up with a message naming its host, never its password.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PostgresAccountStore } from '../accounts/postgres-account-store.ts';
import { PostgresPersistence } from '../relay/postgres-persistence.ts';
import { checkPgReachable, describeDatabaseUrl, openPgPool } from './pg-pool.ts';

export interface PostgresStores {
  pool: pg.Pool;
  /** Null when the caller brought its own (nothing opened for it). */
  persistence: PostgresPersistence | null;
  accountStore: PostgresAccountStore | null;
}

export async function openPostgresStores(
  url: string,
  need: { persistence?: unknown; accounts?: false | { store?: unknown } },
): Promise<PostgresStores> {
  const pool = openPgPool(url);
  try {
    await checkPgReachable(pool, url);
    const persistence = need.persistence ? null : await PostgresPersistence.open({ pool });
    const wantsAccounts = need.accounts !== false && !need.accounts?.store;
    const accountStore = wantsAccounts ? await PostgresAccountStore.open(pool, randomUUID) : null;
    return { pool, persistence, accountStore };
  } catch (error) {
    await pool.end().catch(() => {});
    if (error instanceof Error && error.message.startsWith('cannot reach PostgreSQL')) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`PostgreSQL at ${describeDatabaseUrl(url)}: could not prepare the schema: ${reason}`);
  }
}
