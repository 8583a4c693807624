/**
 * The PostgreSQL schema of Mixdesk, as numbered migrations applied at start-up.
 *
 * `migratePostgres` runs in one transaction holding a transaction-level advisory lock, so when
 * several processes start at once against a fresh database exactly one applies each migration
 * and the others wait, then find it recorded in `mixdesk_migrations` and do nothing. A failed
 * migration rolls back entirely (PostgreSQL DDL is transactional): no half-migrated schema.
 *
 * Append new migrations with the next version; never edit one that has shipped. Everything is
 * unqualified, so it lands in the connection's search_path (tests give each case a schema).
 */
import type pg from 'pg';
import { inTransaction } from './pg-pool.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Any fixed number; only Mixdesk's migrations take this advisory lock. */
const MIGRATION_LOCK = 0x6d69_7864; // 'mixd'

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'relay document logs',
    sql: `
CREATE TABLE doc_updates (id BIGSERIAL PRIMARY KEY, doc_id TEXT NOT NULL, data BYTEA NOT NULL);
CREATE INDEX doc_updates_by_doc ON doc_updates (doc_id, id);`,
  },
  {
    version: 2,
    name: 'accounts',
    sql: `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, deletion_requested_at BIGINT
);
CREATE TABLE pins (
  email TEXT PRIMARY KEY, pin_hash TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE TABLE pin_sends (email TEXT NOT NULL, ip TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX pin_sends_email ON pin_sends (email, at);
CREATE INDEX pin_sends_ip ON pin_sends (ip, at);
CREATE TABLE sessions (
  id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, account_id TEXT NOT NULL, created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, user_agent TEXT NOT NULL, ip TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE TABLE tokens (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL, last_used_at BIGINT
);
CREATE INDEX tokens_account ON tokens (account_id);
CREATE TABLE friendships (
  id TEXT PRIMARY KEY, requester_id TEXT NOT NULL, requester_email TEXT NOT NULL, addressee_email TEXT NOT NULL,
  status TEXT NOT NULL, created_at BIGINT NOT NULL, accepted_at BIGINT, UNIQUE (requester_id, addressee_email)
);
CREATE INDEX friendships_addressee ON friendships (addressee_email);
CREATE TABLE documents (
  id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, tags TEXT NOT NULL,
  notes TEXT NOT NULL, room_profile TEXT NOT NULL, updated_at BIGINT NOT NULL, deleted_at BIGINT, purged_at BIGINT
);
CREATE INDEX documents_owner ON documents (owner_id);
CREATE TABLE shares (
  doc_id TEXT NOT NULL, account_id TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (doc_id, account_id)
);
CREATE INDEX shares_account ON shares (account_id);
CREATE TABLE audit (
  seq BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, account_id TEXT, email TEXT NOT NULL, event TEXT NOT NULL,
  ip TEXT NOT NULL, user_agent TEXT NOT NULL, detail TEXT NOT NULL
);
CREATE INDEX audit_account ON audit (account_id, seq);
CREATE INDEX audit_email ON audit (email, seq);
CREATE INDEX audit_at ON audit (at);`,
  },
  {
    version: 3,
    name: 'shared server secret',
    // One row: the secret every process of a deployment keys PIN hashes with (a PIN mailed by
    // one process is checked by whichever process the verify request reaches).
    sql: `
CREATE TABLE server_secret (id INTEGER PRIMARY KEY CHECK (id = 1), secret TEXT NOT NULL);`,
  },
];

/**
 * Applies the migrations `pool`'s database lacks; returns the versions it applied (empty when
 * the schema was current). `now` stamps them (epoch ms).
 */
export function migratePostgres(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    // Taken before looking at anything, so a second process sees the first one's committed work.
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS mixdesk_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM mixdesk_migrations')).rows.map((r) => r.version),
    );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO mixdesk_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now(),
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
